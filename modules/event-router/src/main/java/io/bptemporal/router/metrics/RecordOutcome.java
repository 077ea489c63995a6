package io.bptemporal.router.metrics;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Locale;

/**
 * What became of a consumed record: the {@code outcome} label of {@code bp_router_records_total}.
 */
public enum RecordOutcome implements MetricLabel {
  /** At least one route matched and Temporal accepted every request. */
  ROUTED,
  /** No active route matched: committed, nothing started. */
  UNROUTED,
  /** Written to the dead-letter topic (with the reason) in the transaction that committed it. */
  DEAD_LETTERED;

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
