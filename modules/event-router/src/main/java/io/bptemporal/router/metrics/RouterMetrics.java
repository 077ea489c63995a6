package io.bptemporal.router.metrics;

import io.bptemporal.observability.metrics.CounterFamily;
import io.bptemporal.observability.metrics.DurationHistogram;
import io.bptemporal.observability.metrics.LongGauge;
import io.bptemporal.observability.metrics.MetricNames;
import io.bptemporal.router.decode.DeadLetterReason;
import io.bptemporal.router.deliver.DeliveryResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event router's catalogued metrics (docs/operations/metrics-catalog.yaml, {@code source:
 * platform}):
 *
 * <ul>
 *   <li>{@code bp_router_records_total{outcome}}: consumed records by what became of them (routed,
 *       unrouted, dead_lettered); their sum is what was consumed;
 *   <li>{@code bp_router_workflow_requests_total{result}}: per matching route, started, signalled
 *       or duplicate (a redelivery, a no-op);
 *   <li>{@code bp_router_dead_lettered_total{reason}}: dead-lettered records by reason kind;
 *   <li>{@code bp_router_retries_total{cause}}: attempts of a record that had to be repeated;
 *   <li>{@code bp_router_consumer_lag_records{topic, partition}}: records not yet handled;
 *   <li>{@code bp_router_active_routes}, {@code bp_router_broken_routes}: the last loaded routes;
 *   <li>{@code bp_router_record_duration_seconds}: from taking a record to its last acceptance.
 * </ul>
 */
public final class RouterMetrics {
  public static final String RECORDS = "bp_router_records_total";
  public static final String WORKFLOW_REQUESTS = "bp_router_workflow_requests_total";
  public static final String DEAD_LETTERED = "bp_router_dead_lettered_total";
  public static final String RETRIES = "bp_router_retries_total";
  public static final String LAG = "bp_router_consumer_lag_records";
  public static final String ACTIVE_ROUTES = "bp_router_active_routes";
  public static final String BROKEN_ROUTES = "bp_router_broken_routes";
  public static final String RECORD_DURATION = "bp_router_record_duration_seconds";

  private final MeterRegistry registry;
  private final CounterFamily<RecordOutcome> records;
  private final CounterFamily<DeliveryResult> requests;
  private final CounterFamily<DeadLetterReason> deadLettered;
  private final CounterFamily<RetryCause> retries;
  private final LongGauge activeRoutes;
  private final LongGauge brokenRoutes;
  private final DurationHistogram recordDuration;
  private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
  private final Map<String, Gauge> lagGauges = new ConcurrentHashMap<>();

  public RouterMetrics(MeterRegistry registry) {
    this.registry = registry;
    records =
        CounterFamily.of(
            registry,
            RECORDS,
            "Records the event router consumed, by outcome (routed, unrouted, dead_lettered)",
            "outcome",
            RecordOutcome.class);
    requests =
        CounterFamily.of(
            registry,
            WORKFLOW_REQUESTS,
            "Workflow starts and signals the event router asked for, by result (started, signalled,"
                + " duplicate)",
            "result",
            DeliveryResult.class);
    deadLettered =
        CounterFamily.of(
            registry,
            DEAD_LETTERED,
            "Records the event router wrote to the dead-letter topic, by reason kind (counted when"
                + " the transaction with the letter and its offset commits)",
            "reason",
            DeadLetterReason.class);
    retries =
        CounterFamily.of(
            registry,
            RETRIES,
            "Repeated attempts of a record (Temporal unavailable) or of a commit transaction with"
                + " dead letters (dead-letter write failed)",
            "cause",
            RetryCause.class);
    activeRoutes =
        LongGauge.of(registry, ACTIVE_ROUTES, "Event routes in use after the last reload");
    brokenRoutes =
        LongGauge.of(
            registry,
            BROKEN_ROUTES,
            "Event routes the last reload skipped as broken (see the log or scheduler plan)");
    recordDuration =
        DurationHistogram.of(
            registry,
            RECORD_DURATION,
            "Time from taking a record to Temporal accepting every request for it (retries included)");
    MetricNames.gauge(LAG);
  }

  public void record(RecordOutcome outcome) {
    records.add(outcome, 1);
  }

  public void request(DeliveryResult result) {
    requests.add(result, 1);
  }

  public void deadLettered(DeadLetterReason reason) {
    deadLettered.add(reason, 1);
  }

  public void retry(RetryCause cause) {
    retries.add(cause, 1);
  }

  public void routes(long active, long broken) {
    activeRoutes.set(active);
    brokenRoutes.set(broken);
  }

  public void recordDuration(Duration took) {
    recordDuration.record(took);
  }

  /** Sets the lag of one partition; its series appears on first use. */
  public void lag(String topic, int partition, long records) {
    lag.computeIfAbsent(
            topic + "/" + partition,
            key -> {
              AtomicLong value = new AtomicLong();
              lagGauges.put(
                  key,
                  Gauge.builder(LAG, value, AtomicLong::doubleValue)
                      .description("Records of a partition the event router has not handled yet")
                      .tag("topic", topic)
                      .tag("partition", Integer.toString(partition))
                      .register(registry));
              return value;
            })
        .set(Math.max(0, records));
  }

  /**
   * Drops the lag series of a partition this replica no longer consumes (its new owner reports it).
   */
  public void forgetLag(String topic, int partition) {
    String key = topic + "/" + partition;
    lag.remove(key);
    Gauge gauge = lagGauges.remove(key);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }
}
