package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Input of the {@code RefundPayment} compensation. It is registered before the charge runs, so it
 * may find no charge (the charge failed or never started): then it applies nothing.
 *
 * @param orderId the order whose charge to refund (looked up by order, the charge ID may be
 *     unknown)
 * @param amountCents amount to refund
 * @param currency ISO 4217 code
 * @param reason why, e.g. "cancelled: customer request"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RefundPayment(String orderId, long amountCents, String currency, String reason) {

  public RefundPayment {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(reason, "reason");
  }
}
