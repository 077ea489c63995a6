package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Result of {@code SendConfirmation}.
 *
 * @param orderId the order
 * @param messageId reference of the message sent (or sent before, on a retry)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConfirmationSent(String orderId, String messageId) {

  public ConfirmationSent {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(messageId, "message_id");
  }
}
