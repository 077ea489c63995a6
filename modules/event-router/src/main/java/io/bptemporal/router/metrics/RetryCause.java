package io.bptemporal.router.metrics;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Locale;

/** Why a record was tried again: the {@code cause} label of {@code bp_router_retries_total}. */
public enum RetryCause implements MetricLabel {
  /** Temporal unavailable, deadline exceeded, resource exhausted (the record waits, in order). */
  TEMPORAL_UNAVAILABLE,
  /** The dead-letter topic did not acknowledge the write. */
  DEAD_LETTER_WRITE;

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
