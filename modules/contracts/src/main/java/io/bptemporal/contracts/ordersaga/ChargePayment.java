package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Input of {@code ChargePayment}.
 *
 * @param orderId the order being paid; the charge's idempotency key is {@code
 *     payment.charge/<order_id>}
 * @param customerId who pays
 * @param amountCents amount in the currency's minor unit
 * @param currency ISO 4217 code
 * @param paymentMethod instrument to charge
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChargePayment(
    String orderId,
    String customerId,
    long amountCents,
    String currency,
    PaymentMethod paymentMethod) {

  public ChargePayment {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(customerId, "customer_id");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(paymentMethod, "payment_method");
  }
}
