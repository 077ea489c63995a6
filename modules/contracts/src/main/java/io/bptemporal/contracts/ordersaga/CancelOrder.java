package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Input of the {@code CancelOrder} compensation: marks the order row cancelled; applies nothing
 * when no row exists.
 *
 * @param orderId the order
 * @param reason why
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CancelOrder(String orderId, String reason) {

  public CancelOrder {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(reason, "reason");
  }
}
