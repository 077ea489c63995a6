package io.bptemporal.scheduler.plan;

import io.bptemporal.contracts.activity.SchedulePolicies;

/**
 * How a row's missed-run policy becomes Temporal Schedule policies (the table in
 * docs/scheduler.md).
 *
 * <p>Temporal knows one knob for missed runs, the catch-up window: after an outage the server
 * starts every missed time that is at most that old, and drops older ones. What happens to several
 * missed times at once then depends on the overlap policy, because they all overlap each other:
 * with {@code SKIP} only the earliest starts, {@code BUFFER_ONE} starts the earliest two, {@code
 * BUFFER_ALL} runs them one after another, {@code ALLOW_ALL} runs them side by side. The row's
 * overlap policy is always kept.
 *
 * <ul>
 *   <li>{@code CATCH_UP}: catch-up window = the row's {@code catch_up_window}.
 *   <li>{@code SKIP}: catch-up window = 10s, Temporal's minimum: a missed time is dropped unless
 *       the server recovers within 10 s of it.
 *   <li>{@code COMPRESS}: catch-up window = 10s as for SKIP, so the server itself never replays
 *       stale times; the scheduler then starts one run for the missed times within the row's {@code
 *       catch_up_window}, scheduled for the last of them and told the window (see {@link
 *       io.bptemporal.scheduler.compress.MissedRunCompressor}).
 * </ul>
 */
public final class MissedRunMapping {
  private MissedRunMapping() {}

  public static TemporalPolicy map(SchedulePolicies policies) {
    return switch (policies.missedRun()) {
      case CATCH_UP ->
          new TemporalPolicy(
              policies.overlap(), policies.catchUpWindow(), policies.pauseOnFailure());
      case SKIP, COMPRESS ->
          new TemporalPolicy(
              policies.overlap(), SchedulePolicies.MIN_CATCH_UP_WINDOW, policies.pauseOnFailure());
    };
  }
}
