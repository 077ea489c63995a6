package io.bptemporal.scheduler.plan;

import io.bptemporal.contracts.activity.OverlapPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The policy values a Temporal Schedule is created with, derived from a row's policies by {@link
 * MissedRunMapping}.
 *
 * @param overlap Temporal's overlap policy
 * @param catchupWindow Temporal's catch-up window: how late a missed run may still be started by
 *     the server
 * @param pauseOnFailure pause the schedule when a run fails
 */
public record TemporalPolicy(
    OverlapPolicy overlap, Duration catchupWindow, boolean pauseOnFailure) {
  public TemporalPolicy {
    Objects.requireNonNull(overlap, "overlap");
    Objects.requireNonNull(catchupWindow, "catchupWindow");
  }
}
