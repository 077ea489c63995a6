package io.bptemporal.observability.metrics;

/**
 * A label value of a platform metric. Label values come from a fixed set in code (an enum
 * implementing this), never from IDs: every value is a series of its own, kept by Prometheus for as
 * long as it is scraped.
 */
public interface MetricLabel {
  /** The value as it appears on {@code /metrics}: lower case, for example {@code loaded}. */
  String label();
}
