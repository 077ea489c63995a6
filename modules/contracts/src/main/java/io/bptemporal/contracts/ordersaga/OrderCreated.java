package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Result of {@code CreateOrder}: the order row exists (or already existed).
 *
 * @param orderId the order
 * @param totalCents the total the order was stored with
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderCreated(String orderId, long totalCents) {

  public OrderCreated {
    Objects.requireNonNull(orderId, "order_id");
  }
}
