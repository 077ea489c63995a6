package io.bptemporal.router.metrics;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Locale;

/** Why a record was tried again: the {@code cause} label of {@code bp_router_retries_total}. */
public enum RetryCause implements MetricLabel {
  /** Temporal unavailable, deadline exceeded, resource exhausted (the record waits, in order). */
  TEMPORAL_UNAVAILABLE,
  /**
   * A transaction committing offsets (with the dead letters before them) failed or timed out; it is
   * aborted, or its commit finished, and tried again.
   */
  DEAD_LETTER_WRITE;

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
