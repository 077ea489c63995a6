package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Input of {@code SendConfirmation}.
 *
 * @param orderId the order; the message's idempotency key is {@code order.confirmation/<order_id>}
 * @param customerId recipient
 * @param paymentId the charge to mention
 * @param reservationId the reservation to mention
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SendConfirmation(
    String orderId, String customerId, String paymentId, String reservationId) {

  public SendConfirmation {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(customerId, "customer_id");
    Objects.requireNonNull(paymentId, "payment_id");
    Objects.requireNonNull(reservationId, "reservation_id");
  }
}
