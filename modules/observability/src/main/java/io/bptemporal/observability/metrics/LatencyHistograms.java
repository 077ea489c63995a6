package io.bptemporal.observability.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;

/**
 * Gives the Temporal SDK's timers and the platform's timers fixed Prometheus histogram buckets, so
 * dashboards can aggregate latency across pods with {@code histogram_quantile}. Without it
 * Micrometer publishes timers as summaries (count, sum, max), which cannot be aggregated into
 * percentiles.
 *
 * <p>Sixteen fixed buckets instead of Micrometer's percentile histogram (about 70 per series): the
 * SDK tags timers per workflow and activity type, and buckets multiply with them.
 */
final class LatencyHistograms implements MeterFilter {
  /**
   * Bucket upper bounds: 5 ms … 1 h, covering activity latency and workflow end-to-end latency
   * alike.
   */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)
  };

  private static final double[] BUCKET_NANOS =
      Arrays.stream(BUCKETS).mapToDouble(Duration::toNanos).toArray();

  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    if (id.getType() != Meter.Type.TIMER
        || !(id.getName().startsWith("temporal_") || id.getName().startsWith("bp_"))) {
      return config;
    }
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(false)
        .serviceLevelObjectives(BUCKET_NANOS)
        .build()
        .merge(config);
  }
}
