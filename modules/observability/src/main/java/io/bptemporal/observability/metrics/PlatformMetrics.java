package io.bptemporal.observability.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The platform's own metrics, recorded from activities and plain process code (never from workflow code:
 * it replays; see {@link WorkflowMetrics}). Names are the Prometheus names listed in
 * docs/operations/metrics-catalog.yaml. A family registers on first use, with every label value at zero,
 * so a process exposes only what it does and {@code rate()} sees a series before its first increment.
 */
public final class PlatformMetrics {
  public static final String PIPELINE_ROWS = "bp_pipeline_rows_total";
  public static final String SCHEDULER_RECONCILE_DURATION = "bp_scheduler_reconcile_duration_seconds";
  public static final String SCHEDULER_DRIFT = "bp_scheduler_drift_schedules";
  public static final String SCHEDULER_INVALID_ROWS = "bp_scheduler_invalid_rows";
  public static final String SCHEDULER_CHANGES = "bp_scheduler_changes_total";

  private final MeterRegistry registry;
  private volatile Map<PipelineRowOutcome, Counter> pipelineRows;
  private volatile Map<ScheduleChange, Counter> scheduleChanges;
  private volatile Timer reconcileDuration;
  private final AtomicLong drift = new AtomicLong();
  private final AtomicLong invalidRows = new AtomicLong();
  private volatile boolean driftRegistered;
  private volatile boolean invalidRowsRegistered;

  PlatformMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Adds {@code rows} to {@code bp_pipeline_rows_total{outcome}}. */
  public void pipelineRows(PipelineRowOutcome outcome, long rows) {
    requireNotNegative(rows, "rows");
    Map<PipelineRowOutcome, Counter> counters = pipelineRows;
    if (counters == null) {
      synchronized (this) {
        if (pipelineRows == null) {
          Map<PipelineRowOutcome, Counter> all = new EnumMap<>(PipelineRowOutcome.class);
          for (PipelineRowOutcome o : PipelineRowOutcome.values()) {
            all.put(o, Counter.builder(baseName(PIPELINE_ROWS, "_total"))
                .description("Rows a pipeline batch read, by what became of them")
                .tag("outcome", o.label()).register(registry));
          }
          pipelineRows = all;
        }
        counters = pipelineRows;
      }
    }
    counters.get(outcome).increment(rows);
  }

  /** Records one reconcile pass in {@code bp_scheduler_reconcile_duration_seconds}. */
  public void schedulerReconcileDuration(Duration took) {
    if (took.isNegative()) {
      throw new IllegalArgumentException("reconcile duration must not be negative, got " + took);
    }
    Timer timer = reconcileDuration;
    if (timer == null) {
      synchronized (this) {
        if (reconcileDuration == null) {
          reconcileDuration = Timer.builder(baseName(SCHEDULER_RECONCILE_DURATION, "_seconds"))
              .description("Duration of one scheduler reconcile pass (registry rows to Temporal Schedules)")
              .register(registry);
        }
        timer = reconcileDuration;
      }
    }
    timer.record(took);
  }

  /** Sets {@code bp_scheduler_drift_schedules}: Schedules that differ from their registry row after the last pass. */
  public void schedulerDrift(long schedules) {
    requireNotNegative(schedules, "schedules");
    drift.set(schedules);
    if (!driftRegistered) {
      synchronized (this) {
        if (!driftRegistered) {
          Gauge.builder(SCHEDULER_DRIFT, drift, AtomicLong::doubleValue)
              .description("Temporal Schedules that differ from their registry row after the last reconcile pass")
              .register(registry);
          driftRegistered = true;
        }
      }
    }
  }

  /** Sets {@code bp_scheduler_invalid_rows}: registry rows the last pass could not turn into a Schedule. */
  public void schedulerInvalidRows(long rows) {
    requireNotNegative(rows, "rows");
    invalidRows.set(rows);
    if (!invalidRowsRegistered) {
      synchronized (this) {
        if (!invalidRowsRegistered) {
          Gauge.builder(SCHEDULER_INVALID_ROWS, invalidRows, AtomicLong::doubleValue)
              .description("Registry rows the last reconcile pass rejected as invalid")
              .register(registry);
          invalidRowsRegistered = true;
        }
      }
    }
  }

  /** Adds {@code count} to {@code bp_scheduler_changes_total{change}}. */
  public void schedulerChanges(ScheduleChange change, long count) {
    requireNotNegative(count, "count");
    Map<ScheduleChange, Counter> counters = scheduleChanges;
    if (counters == null) {
      synchronized (this) {
        if (scheduleChanges == null) {
          Map<ScheduleChange, Counter> all = new EnumMap<>(ScheduleChange.class);
          for (ScheduleChange c : ScheduleChange.values()) {
            all.put(c, Counter.builder(baseName(SCHEDULER_CHANGES, "_total"))
                .description("Changes the scheduler applied to Temporal Schedules")
                .tag("change", c.label()).register(registry));
          }
          scheduleChanges = all;
        }
        counters = scheduleChanges;
      }
    }
    counters.get(change).increment(count);
  }

  /** Micrometer's Prometheus naming appends {@code _total} to counters and {@code _seconds} to timers. */
  static String baseName(String prometheusName, String suffix) {
    return prometheusName.substring(0, prometheusName.length() - suffix.length());
  }

  private static void requireNotNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + value);
    }
  }
}
