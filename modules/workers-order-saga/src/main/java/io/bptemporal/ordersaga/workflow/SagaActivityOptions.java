package io.bptemporal.ordersaga.workflow;

import io.bptemporal.ordersaga.BusinessFailure;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Map;

/**
 * Timeouts and retries of the saga's activities. Changing them is safe for running workflows
 * (options are not part of the replayed commands), but they shape what an outage does to an order:
 *
 * <ul>
 *   <li>Every activity retries infrastructure failures with exponential backoff (1 s, ×2, at most
 *       {@link #MAX_FORWARD_INTERVAL} apart); business failures ({@link BusinessFailure}) are never
 *       retried.
 *   <li>A forward step gives up after {@link #FORWARD_DEADLINE} of retries; the saga then
 *       compensates, so an order is not left hanging for hours on a dead provider.
 *   <li>{@code SendConfirmation} has no deadline: it is the point of no return (the cancel signal
 *       is no longer accepted once it starts), so it is retried until it succeeds.
 *   <li>Compensations have no deadline either: money and stock must be given back, however long the
 *       outage; a stuck compensation shows up as activity failures (docs/operations/runbooks).
 *   <li>Start-to-close is short (10 s; 15 s for the provider calls, whose own timeout is at most 10
 *       s): it is how soon Temporal notices a worker that died mid-attempt and retries elsewhere.
 *   <li>Forward steps wait for their activity to finish when the workflow is cancelled ({@code
 *       WAIT_CANCELLATION_COMPLETED}): a compensation must never run while the step it undoes may
 *       still be landing.
 * </ul>
 */
final class SagaActivityOptions {
  static final Duration FORWARD_DEADLINE = Duration.ofMinutes(10);
  static final Duration MAX_FORWARD_INTERVAL = Duration.ofSeconds(30);
  static final Duration MAX_COMPENSATION_INTERVAL = Duration.ofMinutes(1);
  static final Duration DATABASE_CALL = Duration.ofSeconds(10);
  static final Duration PROVIDER_CALL = Duration.ofSeconds(15);

  private SagaActivityOptions() {}

  static ActivityOptions forward() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(DATABASE_CALL)
        .setScheduleToCloseTimeout(FORWARD_DEADLINE)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(retry(MAX_FORWARD_INTERVAL))
        .build();
  }

  /** Per activity type, overriding {@link #forward()}. */
  static Map<String, ActivityOptions> forwardByType() {
    return Map.of(
        "ChargePayment",
            ActivityOptions.newBuilder(forward()).setStartToCloseTimeout(PROVIDER_CALL).build(),
        "SendConfirmation",
            ActivityOptions.newBuilder(forward())
                // No deadline: see the class comment. Setting it to zero removes the inherited one.
                .setScheduleToCloseTimeout(Duration.ZERO)
                .build());
  }

  static ActivityOptions compensation() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(DATABASE_CALL)
        .setRetryOptions(retry(MAX_COMPENSATION_INTERVAL))
        .build();
  }

  static Map<String, ActivityOptions> compensationByType() {
    return Map.of(
        "RefundPayment",
        ActivityOptions.newBuilder(compensation()).setStartToCloseTimeout(PROVIDER_CALL).build());
  }

  private static RetryOptions retry(Duration maximumInterval) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(maximumInterval)
        .setDoNotRetry(BusinessFailure.types())
        .build();
  }
}
