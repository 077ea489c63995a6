package io.bptemporal.observability.metrics;

import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Platform metrics recorded from workflow code. They go through {@link Workflow#getMetricsScope()}, which
 * drops everything recorded while the workflow replays, so a compensation is counted once however often
 * its history is replayed. The series carry the SDK's workflow tags (namespace, task_queue,
 * workflow_type) and reach /metrics through the telemetry's Temporal metrics scope.
 */
public final class WorkflowMetrics {
  public static final String SAGA_COMPENSATIONS = "bp_saga_compensations_total";
  // A step is a fixed name from code; an ID here would create a series per order.
  private static final Pattern STEP = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private WorkflowMetrics() {
  }

  /**
   * Counts one compensation of saga step {@code step} ({@code bp_saga_compensations_total{step}}).
   * Call it from workflow code when the compensation has run.
   *
   * @param step fixed step name such as {@code refund-payment}: lower-case letters, digits, '-', '_'
   */
  public static void sagaCompensation(String step) {
    if (step == null || !STEP.matcher(step).matches()) {
      throw new IllegalArgumentException("saga step '" + step + "' is not accepted as a metric label: use a fixed "
          + "name of lower-case letters, digits, '-' and '_' (1-63 characters, starting with a letter)");
    }
    Workflow.getMetricsScope()
        .tagged(Map.of("step", step))
        .counter(PlatformMetrics.baseName(SAGA_COMPENSATIONS, "_total"))
        .inc(1);
  }
}
