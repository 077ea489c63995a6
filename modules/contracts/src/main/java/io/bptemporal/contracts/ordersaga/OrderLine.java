package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * One line of an order.
 *
 * @param sku stock-keeping unit, e.g. {@code SKU-RED-MUG}
 * @param quantity units ordered, 1-10000
 * @param unitPriceCents price of one unit in the order's currency's minor unit (cents), at least 0
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderLine(String sku, int quantity, long unitPriceCents) {

  public OrderLine {
    Objects.requireNonNull(sku, "sku");
  }

  public long lineTotalCents() {
    return Math.multiplyExact(unitPriceCents, quantity);
  }
}
