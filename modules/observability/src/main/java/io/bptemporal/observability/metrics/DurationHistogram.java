package io.bptemporal.observability.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * A platform timer, exposed as a Prometheus histogram in seconds with the platform's fixed buckets
 * ({@code LatencyHistograms}, applied by {@link ProcessMetrics}'s registry). It registers on first
 * use.
 */
public final class DurationHistogram {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private volatile Timer timer;

  private DurationHistogram(MeterRegistry registry, String name, String description) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.name = MetricNames.timer(name);
    this.description = Objects.requireNonNull(description, "description");
  }

  /**
   * @param name the Prometheus name, {@code bp_…_seconds}
   */
  public static DurationHistogram of(MeterRegistry registry, String name, String description) {
    return new DurationHistogram(registry, name, description);
  }

  public String name() {
    return name;
  }

  public void record(Duration took) {
    if (took.isNegative()) {
      throw new IllegalArgumentException(name + ": duration must not be negative, got " + took);
    }
    Timer t = timer;
    if (t == null) {
      synchronized (this) {
        if (timer == null) {
          timer =
              Timer.builder(MetricNames.baseName(name, "_seconds"))
                  .description(description)
                  .register(registry);
        }
        t = timer;
      }
    }
    t.record(took);
  }
}
