package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Result of {@code ChargePayment}.
 *
 * @param orderId the order
 * @param paymentId the provider's reference of the charge
 * @param amountCents amount charged
 * @param currency ISO 4217 code
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PaymentReceipt(String orderId, String paymentId, long amountCents, String currency) {

  public PaymentReceipt {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(paymentId, "payment_id");
    Objects.requireNonNull(currency, "currency");
  }
}
