package io.bptemporal.observability;

import io.bptemporal.observability.metrics.WorkflowMetrics;
import io.opentelemetry.api.trace.Span;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Test workflow that reports what telemetry looked like from the inside: the MDC in workflow code
 * and in its activity, and the activity's current span. Its input picks a behaviour, so one worker
 * can produce the successes, failures and retries the metrics catalog test needs.
 */
@WorkflowInterface
public interface ObservedWorkflow {
  String TASK_QUEUE = "observability-it";

  /** Counted once by mode "compensate" through {@link WorkflowMetrics}; not a catalogued name. */
  String COUNTED = "bp_observed_compensations_total";

  @WorkflowMethod
  Observed run(String mode);

  /** Ends the wait of mode "wait". */
  @SignalMethod
  void release();

  /** The MDC as a query handler sees it. */
  @QueryMethod
  Map<String, String> queryContext();

  /** What the workflow and its activity saw. */
  record Observed(
      Map<String, String> workflowMdc,
      Map<String, String> activityMdc,
      String activityTraceId,
      String activitySpanId) {}

  /** Activity half of the observation. */
  record ActivitySight(Map<String, String> mdc, String traceId, String spanId) {}

  @ActivityInterface
  interface Probes {
    ActivitySight look(String mode);
  }

  final class Impl implements ObservedWorkflow {
    private static final Logger log = Workflow.getLogger(Impl.class);
    private final Probes probes =
        Workflow.newActivityStub(
            Probes.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(100))
                        .setMaximumAttempts(3)
                        .build())
                .build());
    private boolean released;
    private Map<String, String> signalMdc = Map.of();

    @Override
    public void release() {
      signalMdc = new TreeMap<>(MDC.getCopyOfContextMap());
      released = true;
    }

    @Override
    public Map<String, String> queryContext() {
      return new TreeMap<>(MDC.getCopyOfContextMap());
    }

    @Override
    public Observed run(String mode) {
      log.info("workflow running in mode {}", mode);
      Map<String, String> workflowMdc = new TreeMap<>(MDC.getCopyOfContextMap());
      switch (mode) {
        case "fail-workflow" ->
            throw ApplicationFailure.newNonRetryableFailure("failing on purpose", "Test");
        case "fail-task" -> throw new IllegalStateException("workflow task fails on purpose");
        case "wait" -> {
          Workflow.await(() -> released);
          if (!workflowMdc.equals(new TreeMap<>(MDC.getCopyOfContextMap()))) {
            throw ApplicationFailure.newNonRetryableFailure(
                "the workflow's MDC changed across the signal", "Test");
          }
          // The signal handler's context, reported in place of the workflow's.
          workflowMdc = new TreeMap<>(signalMdc);
        }
        case "compensate" -> WorkflowMetrics.increment(COUNTED, "step", "test-step");
        default -> {}
      }
      ActivitySight sight = probes.look(mode);
      return new Observed(workflowMdc, sight.mdc(), sight.traceId(), sight.spanId());
    }
  }

  final class ProbesImpl implements Probes {
    private static final Logger log = LoggerFactory.getLogger(ProbesImpl.class);

    @Override
    public ActivitySight look(String mode) {
      log.info(
          "activity looking, attempt {}", Activity.getExecutionContext().getInfo().getAttempt());
      if (mode.equals("retry-activity")
          && Activity.getExecutionContext().getInfo().getAttempt() == 1) {
        throw new IllegalStateException("first attempt fails on purpose");
      }
      var span = Span.current().getSpanContext();
      return new ActivitySight(
          new TreeMap<>(MDC.getCopyOfContextMap()), span.getTraceId(), span.getSpanId());
    }
  }
}
