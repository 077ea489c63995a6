package io.bptemporal.ordersaga.workflow;

import com.uber.m3.tally.Scope;
import io.bptemporal.observability.metrics.WorkflowMetrics;
import io.temporal.workflow.Workflow;

/**
 * The order-saga worker's catalogued metrics (docs/operations/metrics-catalog.yaml, {@code source:
 * platform}), declared here rather than in the shared observability module. Recorded from workflow
 * code through {@link WorkflowMetrics}, so a replay does not count a compensation again. The system
 * tests' catalog check (tests/, {@code PlatformMetricsCatalogTest}) records through this class and
 * compares what it exposes with the catalog.
 */
public final class OrderSagaMetrics {
  public static final String SAGA_COMPENSATIONS = "bp_saga_compensations_total";

  private OrderSagaMetrics() {}

  /**
   * Counts one compensation of saga step {@code step} ({@code bp_saga_compensations_total{step}}).
   * Call it from workflow code when the compensation has run.
   *
   * @param step fixed step name such as {@code refund-payment}: lower-case letters, digits, '-',
   *     '_'
   */
  public static void compensation(String step) {
    compensation(Workflow.getMetricsScope(), step);
  }

  /**
   * {@link #compensation(String)} on a given scope (what the workflow's metrics scope is to the
   * SDK).
   */
  public static void compensation(Scope scope, String step) {
    WorkflowMetrics.increment(scope, SAGA_COMPENSATIONS, "step", step);
  }
}
