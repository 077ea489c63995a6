package io.bptemporal.scheduler.run;

import io.bptemporal.observability.metrics.CounterFamily;
import io.bptemporal.observability.metrics.DurationHistogram;
import io.bptemporal.observability.metrics.LongGauge;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ReconcileMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The scheduler's catalogued metrics (docs/operations/metrics-catalog.yaml, {@code source:
 * platform}), declared here rather than in the shared observability module: a pass's numbers as
 * {@code bp_scheduler_reconcile_duration_seconds}, {@code bp_scheduler_changes_total{change}},
 * {@code bp_scheduler_drift_schedules}, {@code bp_scheduler_invalid_rows}; plus {@code
 * bp_scheduler_leader} (1 while this replica holds the lock). The system tests' catalog check
 * (tests/, {@code PlatformMetricsCatalogTest}) records through this class and compares what it
 * exposes with the catalog.
 */
public final class PlatformReconcileMetrics implements ReconcileMetrics {
  public static final String RECONCILE_DURATION = "bp_scheduler_reconcile_duration_seconds";
  public static final String DRIFT = "bp_scheduler_drift_schedules";
  public static final String INVALID_ROWS = "bp_scheduler_invalid_rows";
  public static final String CHANGES = "bp_scheduler_changes_total";
  public static final String LEADER = "bp_scheduler_leader";

  private final DurationHistogram reconcileDuration;
  private final CounterFamily<ScheduleChange> changes;
  private final LongGauge drift;
  private final LongGauge invalidRows;
  private final LongGauge leader;

  public PlatformReconcileMetrics(MeterRegistry registry) {
    reconcileDuration =
        DurationHistogram.of(
            registry,
            RECONCILE_DURATION,
            "Duration of one scheduler reconcile pass (registry rows to Temporal Schedules)");
    changes =
        CounterFamily.of(
            registry,
            CHANGES,
            "Changes the scheduler applied to Temporal Schedules",
            "change",
            ScheduleChange.class);
    drift =
        LongGauge.of(
            registry,
            DRIFT,
            "Temporal Schedules that differ from their registry row after the last reconcile pass");
    invalidRows =
        LongGauge.of(
            registry, INVALID_ROWS, "Registry rows the last reconcile pass rejected as invalid");
    leader =
        LongGauge.of(
            registry,
            LEADER,
            "1 while this scheduler replica holds the leader lock and reconciles, 0 on a standby");
    // Registered at start, unlike the others: a standby that never led must show 0, not nothing.
    leader.set(0);
  }

  @Override
  public void pass(PassResult result) {
    reconcileDuration.record(result.duration());
    changes.add(ScheduleChange.CREATED, result.count(Step.Create.class));
    changes.add(ScheduleChange.UPDATED, result.count(Step.Update.class));
    changes.add(ScheduleChange.PAUSED, result.count(Step.Pause.class));
    changes.add(ScheduleChange.UNPAUSED, result.count(Step.Unpause.class));
    changes.add(ScheduleChange.DELETED, result.count(Step.Delete.class));
    drift.set(result.drift());
    invalidRows.set(result.invalidRows());
  }

  @Override
  public void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
    if (!isLeader) {
      // Only the leader reports drift and invalid rows: a standby (or a former leader) showing
      // stale numbers
      // would keep an alert firing that the leader has resolved.
      drift.set(0);
      invalidRows.set(0);
    }
  }
}
