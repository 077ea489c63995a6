package io.bptemporal.scheduler.cli;

import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.scheduler.compress.MissedRunCompressor;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.NamespaceProbe;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.bptemporal.scheduler.temporal.TemporalSchedules;
import java.time.Clock;
import java.util.List;

/**
 * The reconciler exactly as the scheduler process wires it: counted schedule calls, the namespace
 * probe, the row checks and the missed-run compressor. Public so that the benchmark and fault suite
 * measure the process's own wiring instead of a copy of it that could drift.
 */
public final class ReconcilerWiring {
  private ReconcilerWiring() {}

  /**
   * @param schedules the schedule client, made with {@link TemporalSchedules#counted} on {@code
   *     counter} so that the pass results count its calls
   */
  public static ScheduleReconciler reconciler(
      ActivityRegistry registry,
      TemporalConnection connection,
      TemporalSchedules schedules,
      RowChecks checks,
      ScheduleCallCounter counter) {
    return new ScheduleReconciler(
        registry,
        schedules,
        new NamespaceProbe(connection.stubs()),
        checks,
        counter,
        Clock.systemUTC(),
        List.of(new MissedRunCompressor(connection, counter)));
  }
}
