package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answer of the saga's {@code status} query.
 *
 * @param orderId the order
 * @param currentStep the forward step running now; absent while compensating and when finished
 * @param completedSteps forward steps that succeeded, in order
 * @param compensationsRun compensations that ran, in the order they ran
 * @param outcome where the saga stands
 * @param reason why it is cancelled or failed, when it is
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record OrderStatus(
    String orderId,
    Optional<OrderStep> currentStep,
    List<OrderStep> completedSteps,
    List<CompensationStep> compensationsRun,
    OrderOutcome outcome,
    Optional<String> reason) {

  public OrderStatus {
    Objects.requireNonNull(orderId, "order_id");
    currentStep = Objects.requireNonNullElse(currentStep, Optional.empty());
    completedSteps = List.copyOf(Objects.requireNonNullElse(completedSteps, List.of()));
    compensationsRun = List.copyOf(Objects.requireNonNullElse(compensationsRun, List.of()));
    Objects.requireNonNull(outcome, "outcome");
    reason = Objects.requireNonNullElse(reason, Optional.empty());
  }
}
