package io.bptemporal.observability.metrics;

import java.util.regex.Pattern;

/**
 * The naming conventions of the platform's own metrics
 * (docs/operations/metrics.md#names-and-sources): a {@code bp_} prefix, snake_case, counters ending
 * in {@code _total}, timers in seconds ending in {@code _seconds}, label names snake_case.
 * Constants hold the Prometheus name as dashboards and alerts use it; Micrometer appends the suffix
 * itself, so it is cut off before registration ({@link #baseName}).
 */
public final class MetricNames {
  public static final String PREFIX = "bp_";
  private static final Pattern NAME = Pattern.compile("bp_[a-z][a-z0-9_]*[a-z0-9]");
  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");

  private MetricNames() {}

  /** {@code name} if it is a platform counter's Prometheus name ({@code bp_…_total}). */
  public static String counter(String name) {
    return withSuffix(name, "_total", "counter");
  }

  /** {@code name} if it is a platform timer's Prometheus name ({@code bp_…_seconds}). */
  public static String timer(String name) {
    return withSuffix(name, "_seconds", "timer");
  }

  /**
   * {@code name} if it is a platform gauge's Prometheus name; a gauge must not end in {@code
   * _total} (a counter suffix) and carries its unit in the name.
   */
  public static String gauge(String name) {
    requireName(name);
    if (name.endsWith("_total")) {
      throw new IllegalArgumentException(
          "gauge " + name + " must not end in _total (a counter's suffix)");
    }
    return name;
  }

  /** {@code name} if it is a snake_case label name. */
  public static String label(String name) {
    if (name == null || !LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException("label name '" + name + "' is not snake_case");
    }
    return name;
  }

  /** The name to register with Micrometer, whose Prometheus naming appends {@code suffix} again. */
  static String baseName(String prometheusName, String suffix) {
    return prometheusName.substring(0, prometheusName.length() - suffix.length());
  }

  private static String withSuffix(String name, String suffix, String kind) {
    requireName(name);
    if (!name.endsWith(suffix)) {
      throw new IllegalArgumentException(kind + " " + name + " must end in " + suffix);
    }
    return name;
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric name '" + name + "' must be snake_case with the prefix " + PREFIX);
    }
  }
}
