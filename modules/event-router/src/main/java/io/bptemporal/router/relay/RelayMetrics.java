package io.bptemporal.router.relay;

import io.bptemporal.observability.metrics.CounterFamily;
import io.bptemporal.observability.metrics.DurationHistogram;
import io.bptemporal.observability.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox relay's catalogued metrics (docs/operations/metrics-catalog.yaml, {@code source:
 * platform}), exposed by the event router:
 *
 * <ul>
 *   <li>{@code bp_relay_published_total{source}}: outbox rows published and marked (a row
 *       republished after a crash between ack and commit counts once more);
 *   <li>{@code bp_relay_failures_total{cause}}: batches rolled back and tried again (broker,
 *       database, unexpected);
 *   <li>{@code bp_relay_backlog_rows{source}}: rows not published yet;
 *   <li>{@code bp_relay_oldest_unpublished_age_seconds{source}}: age of the oldest of them (0 when
 *       there is none): the alert's signal;
 *   <li>{@code bp_relay_held_subjects{source}}: subjects held back behind a row that cannot be
 *       published (it breaks the envelope contract or is too large);
 *   <li>{@code bp_relay_batch_duration_seconds}: claim to commit of a batch, acks included.
 * </ul>
 */
public final class RelayMetrics {
  public static final String PUBLISHED = "bp_relay_published_total";
  public static final String FAILURES = "bp_relay_failures_total";
  public static final String BACKLOG = "bp_relay_backlog_rows";
  public static final String OLDEST_AGE = "bp_relay_oldest_unpublished_age_seconds";
  public static final String HELD = "bp_relay_held_subjects";
  public static final String BATCH_DURATION = "bp_relay_batch_duration_seconds";

  private final MeterRegistry registry;
  private final CounterFamily<OutboxSource> published;
  private final CounterFamily<RelayFailure> failures;
  private final DurationHistogram batchDuration;
  private final Map<OutboxSource, AtomicLong> backlog = new EnumMap<>(OutboxSource.class);
  private final Map<OutboxSource, AtomicLong> oldestMillis = new EnumMap<>(OutboxSource.class);
  private final Map<OutboxSource, AtomicLong> held = new EnumMap<>(OutboxSource.class);

  public RelayMetrics(MeterRegistry registry) {
    this.registry = registry;
    published =
        CounterFamily.of(
            registry,
            PUBLISHED,
            "Outbox rows the relay published to the broker and marked, by source",
            "source",
            OutboxSource.class);
    failures =
        CounterFamily.of(
            registry,
            FAILURES,
            "Relay batches rolled back and tried again, by cause (broker, database, unexpected)",
            "cause",
            RelayFailure.class);
    batchDuration =
        DurationHistogram.of(
            registry,
            BATCH_DURATION,
            "Time from claiming an outbox batch to committing its published marks, acks included");
    MetricNames.gauge(BACKLOG);
    MetricNames.gauge(OLDEST_AGE);
    MetricNames.gauge(HELD);
  }

  /** Registers the gauges of {@code source} (at 0), so a relayed source always has its series. */
  public synchronized void register(OutboxSource source) {
    if (backlog.containsKey(source)) {
      return;
    }
    backlog.put(source, gauge(BACKLOG, "Outbox rows not published yet", source, 1));
    oldestMillis.put(
        source,
        gauge(
            OLDEST_AGE,
            "Age of the oldest outbox row not published yet (0 when there is none)",
            source,
            1000));
    held.put(
        source,
        gauge(
            HELD,
            "Subjects held back behind an outbox row that cannot be published (see the log)",
            source,
            1));
  }

  public void published(OutboxSource source, long rows) {
    published.add(source, rows);
  }

  public void failure(RelayFailure cause) {
    failures.add(cause, 1);
  }

  public void batchDuration(Duration took) {
    batchDuration.record(took);
  }

  public void backlog(OutboxSource source, long rows, Duration oldest) {
    register(source);
    backlog.get(source).set(Math.max(0, rows));
    oldestMillis.get(source).set(Math.max(0, oldest.toMillis()));
  }

  public void held(OutboxSource source, long subjects) {
    register(source);
    held.get(source).set(Math.max(0, subjects));
  }

  private AtomicLong gauge(String name, String description, OutboxSource source, double divisor) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, v -> v.get() / divisor)
        .description(description)
        .tag("source", source.label())
        .strongReference(true)
        .register(registry);
    return value;
  }
}
