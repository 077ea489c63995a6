package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Input of the {@code ReleaseInventory} compensation; applies nothing when no reservation exists.
 *
 * @param orderId the order whose reservation to release
 * @param reason why
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReleaseInventory(String orderId, String reason) {

  public ReleaseInventory {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(reason, "reason");
  }
}
