package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Input of {@code ReserveInventory}.
 *
 * @param orderId the order; the reservation's idempotency key is {@code
 *     inventory.reserve/<order_id>}
 * @param lines what to reserve
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReserveInventory(String orderId, List<OrderLine> lines) {

  public ReserveInventory {
    Objects.requireNonNull(orderId, "order_id");
    lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
  }
}
