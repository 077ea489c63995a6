package io.bptemporal.observability.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A platform counter with one label whose values are an enum: {@code name{label="value"}}. It
 * registers on first use, with every label value at zero, so a process exposes only what it does
 * and {@code rate()} sees a series before its first increment.
 *
 * @param <E> the label's values
 */
public final class CounterFamily<E extends Enum<E> & MetricLabel> {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String labelName;
  private final Class<E> values;
  private volatile Map<E, Counter> counters;

  private CounterFamily(
      MeterRegistry registry, String name, String description, String labelName, Class<E> values) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.name = MetricNames.counter(name);
    this.description = Objects.requireNonNull(description, "description");
    this.labelName = MetricNames.label(labelName);
    this.values = Objects.requireNonNull(values, "values");
  }

  /**
   * @param name the Prometheus name, {@code bp_…_total}
   * @param labelName the one label, snake_case
   */
  public static <E extends Enum<E> & MetricLabel> CounterFamily<E> of(
      MeterRegistry registry, String name, String description, String labelName, Class<E> values) {
    return new CounterFamily<>(registry, name, description, labelName, values);
  }

  public String name() {
    return name;
  }

  /** Adds {@code count} to the series of {@code value}. */
  public void add(E value, long count) {
    if (count < 0) {
      throw new IllegalArgumentException(name + ": count must not be negative, got " + count);
    }
    Map<E, Counter> all = counters;
    if (all == null) {
      synchronized (this) {
        if (counters == null) {
          Map<E, Counter> registered = new EnumMap<>(values);
          for (E v : values.getEnumConstants()) {
            registered.put(
                v,
                Counter.builder(MetricNames.baseName(name, "_total"))
                    .description(description)
                    .tag(labelName, v.label())
                    .register(registry));
          }
          counters = registered;
        }
        all = counters;
      }
    }
    all.get(value).increment(count);
  }
}
