package io.bptemporal.scheduler.run;

import io.bptemporal.observability.metrics.PlatformMetrics;
import io.bptemporal.observability.metrics.ScheduleChange;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ReconcileMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass's numbers as the platform's catalogued metrics (docs/operations/metrics-catalog.yaml):
 * {@code bp_scheduler_reconcile_duration_seconds}, {@code bp_scheduler_changes_total{change}},
 * {@code bp_scheduler_drift_schedules}, {@code bp_scheduler_invalid_rows}; plus {@code bp_scheduler_leader}
 * (1 while this replica holds the lock).
 */
public final class PlatformReconcileMetrics implements ReconcileMetrics {
  public static final String LEADER = "bp_scheduler_leader";

  private final PlatformMetrics platform;
  private final AtomicInteger leader = new AtomicInteger();

  public PlatformReconcileMetrics(PlatformMetrics platform, MeterRegistry registry) {
    this.platform = platform;
    Gauge.builder(LEADER, leader, AtomicInteger::doubleValue)
        .description("1 while this scheduler replica holds the leader lock and reconciles, 0 on a standby")
        .register(registry);
  }

  @Override
  public void pass(PassResult result) {
    platform.schedulerReconcileDuration(result.duration());
    platform.schedulerChanges(ScheduleChange.CREATED, result.count(Step.Create.class));
    platform.schedulerChanges(ScheduleChange.UPDATED, result.count(Step.Update.class));
    platform.schedulerChanges(ScheduleChange.PAUSED, result.count(Step.Pause.class));
    platform.schedulerChanges(ScheduleChange.UNPAUSED, result.count(Step.Unpause.class));
    platform.schedulerChanges(ScheduleChange.DELETED, result.count(Step.Delete.class));
    platform.schedulerDrift(result.drift());
    platform.schedulerInvalidRows(result.invalidRows());
  }

  @Override
  public void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
    if (!isLeader) {
      // Only the leader reports drift and invalid rows: a standby (or a former leader) showing stale numbers
      // would keep an alert firing that the leader has resolved.
      platform.schedulerDrift(0);
      platform.schedulerInvalidRows(0);
    }
  }
}
