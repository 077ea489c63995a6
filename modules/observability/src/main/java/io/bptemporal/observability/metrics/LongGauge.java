package io.bptemporal.observability.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** A platform gauge that shows the last value set. It registers on first use. */
public final class LongGauge {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final AtomicLong value = new AtomicLong();
  private volatile boolean registered;

  private LongGauge(MeterRegistry registry, String name, String description) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.name = MetricNames.gauge(name);
    this.description = Objects.requireNonNull(description, "description");
  }

  public static LongGauge of(MeterRegistry registry, String name, String description) {
    return new LongGauge(registry, name, description);
  }

  public String name() {
    return name;
  }

  /**
   * Sets the value; counts of things are never negative, so a negative value is a programming
   * error.
   */
  public void set(long newValue) {
    if (newValue < 0) {
      throw new IllegalArgumentException(name + ": value must not be negative, got " + newValue);
    }
    value.set(newValue);
    if (!registered) {
      synchronized (this) {
        if (!registered) {
          Gauge.builder(name, value, AtomicLong::doubleValue)
              .description(description)
              .register(registry);
          registered = true;
        }
      }
    }
  }
}
