package io.bptemporal.pipeline.etl;

import io.bptemporal.pipeline.PipelineSetupException;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the pipeline's activities (changing them changes only new activity
 * executions).
 */
final class PipelineActivityOptions {

  /**
   * A dead worker is noticed after this long without a heartbeat, and the partition is retried on
   * another worker from its checkpoint. Short on purpose: the loader heartbeats after every batch
   * and a keep-alive thread covers slow single steps.
   */
  static final Duration LOAD_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private PipelineActivityOptions() {}

  /** Counting the source can read a whole file or run a COUNT over a large query. */
  static ActivityOptions planning() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(10)
                .setDoNotRetry(PipelineSetupException.FAILURE_TYPE)
                .build())
        .build();
  }

  /**
   * One partition per attempt may take long; attempts are unlimited because each resumes from the
   * last checkpoint (a database outage delays the load, it does not fail it). Setup problems fail
   * at once.
   */
  static ActivityOptions loading() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(2))
        .setHeartbeatTimeout(LOAD_HEARTBEAT_TIMEOUT)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(Duration.ofSeconds(30))
                .setDoNotRetry(PipelineSetupException.FAILURE_TYPE)
                .build())
        .build();
  }
}
