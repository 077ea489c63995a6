package io.bptemporal.router.relay;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Locale;

/**
 * Why a relay batch was rolled back and tried again: the {@code cause} label of {@code
 * bp_relay_failures_total}. The rows stay unpublished and are claimed again after a backoff.
 */
public enum RelayFailure implements MetricLabel {
  /** The broker did not acknowledge every record (unavailable, timed out, refused). */
  BROKER,
  /** The outbox database could not be read or written (unreachable, lock timeout, privileges). */
  DATABASE,
  /** Anything else (a bug): logged with its stack trace. */
  UNEXPECTED;

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
