package io.bptemporal.router.deliver;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Locale;

/**
 * What Temporal did with one route's request for one record: the {@code result} label of {@code
 * bp_router_workflow_requests_total}.
 */
public enum DeliveryResult implements MetricLabel {
  /** A new run was started. */
  STARTED,
  /** The subject's workflow was signalled (and started, if it was not running). */
  SIGNALLED,
  /**
   * The run of this event exists already (a redelivered record, a second replica, a replay): the
   * effect happened once, the request is a no-op, and counts as success.
   */
  DUPLICATE;

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
