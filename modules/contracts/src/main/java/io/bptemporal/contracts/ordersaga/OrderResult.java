package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Result of {@link OrderSagaWorkflow}.
 *
 * @param orderId the order
 * @param outcome {@code COMPLETED}, {@code CANCELLED} or {@code FAILED}
 * @param totalCents the order's total in the currency's minor unit
 * @param paymentId the provider's payment reference, when the charge succeeded
 * @param reservationId the inventory reservation, when it succeeded
 * @param compensationsRun compensations that ran, in order (empty when completed)
 * @param reason why it was cancelled or failed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record OrderResult(
    String orderId,
    OrderOutcome outcome,
    long totalCents,
    Optional<String> paymentId,
    Optional<String> reservationId,
    List<CompensationStep> compensationsRun,
    Optional<String> reason) {

  public OrderResult {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(outcome, "outcome");
    paymentId = Objects.requireNonNullElse(paymentId, Optional.empty());
    reservationId = Objects.requireNonNullElse(reservationId, Optional.empty());
    compensationsRun = List.copyOf(Objects.requireNonNullElse(compensationsRun, List.of()));
    reason = Objects.requireNonNullElse(reason, Optional.empty());
  }
}
