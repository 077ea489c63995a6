package io.bptemporal.observability.metrics;

import com.uber.m3.tally.Scope;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Platform metrics recorded from workflow code. They go through {@link Workflow#getMetricsScope()},
 * which drops everything recorded while the workflow replays, so an event is counted once however
 * often its history is replayed. The series carry the SDK's workflow tags (namespace, task_queue,
 * workflow_type) and reach /metrics through the telemetry's Temporal metrics scope. A process
 * declares its own names (for example the order-saga worker's {@code OrderSagaMetrics}) and counts
 * through {@link #increment}.
 */
public final class WorkflowMetrics {
  // A label value here is a fixed name from code; an ID would create a series per workflow.
  private static final Pattern FIXED_VALUE = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private WorkflowMetrics() {}

  /**
   * Adds one to {@code counter{label="value"}} in the current workflow's metrics scope. Call it
   * from workflow code only.
   *
   * @param counter the Prometheus name, {@code bp_…_total}
   * @param value a fixed name such as {@code refund-payment}: lower-case letters, digits, '-', '_'
   */
  public static void increment(String counter, String label, String value) {
    increment(Workflow.getMetricsScope(), counter, label, value);
  }

  /**
   * {@link #increment(String, String, String)} on a given scope: what workflow code does through
   * {@code Workflow.getMetricsScope()}, for callers that hold the scope themselves (tests of the
   * names).
   */
  public static void increment(Scope scope, String counter, String label, String value) {
    MetricNames.counter(counter);
    MetricNames.label(label);
    if (value == null || !FIXED_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not accepted as the value of label "
              + label
              + " of "
              + counter
              + ": use a fixed name of lower-case letters, digits, '-' and '_' (1-63 characters, starting "
              + "with a letter)");
    }
    scope.tagged(Map.of(label, value)).counter(MetricNames.baseName(counter, "_total")).inc(1);
  }
}
