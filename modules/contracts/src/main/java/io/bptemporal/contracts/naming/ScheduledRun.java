package io.bptemporal.contracts.naming;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The identity of one scheduled run: which activity, for which scheduled time. Two starts of the
 * same identity are the same run — that is what makes catch-up, retries of the scheduler and manual
 * re-runs safe to repeat.
 *
 * @param activityId the registry row's {@code activity_id}
 * @param scheduledFor the nominal time the run is for, a whole second (Temporal schedules fire on
 *     seconds)
 */
public record ScheduledRun(String activityId, Instant scheduledFor) {

  /** {@code 2026-11-21T00:00:00Z}: always seconds, always UTC, always 20 characters. */
  static final DateTimeFormatter SCHEDULED_FOR =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** Years that format to four digits: the ID's timestamp part has a fixed width. */
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  public ScheduledRun {
    IdentifierFormat.ACTIVITY_ID.check(activityId);
    Objects.requireNonNull(scheduledFor, "scheduledFor");
    if (scheduledFor.getNano() != 0) {
      throw new IllegalArgumentException(
          "scheduled_for "
              + scheduledFor
              + " of activity '"
              + activityId
              + "' has a fraction of a second; accepted: a whole second (Temporal schedules fire on"
              + " whole seconds, and the run's ID must not depend on sub-second noise)");
    }
    if (scheduledFor.isBefore(EARLIEST) || scheduledFor.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          "scheduled_for "
              + scheduledFor
              + " of activity '"
              + activityId
              + "' is outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z");
    }
  }

  /**
   * {@code nightly-export:2026-11-21T00:00:00Z} — see {@link WorkflowIds#scheduledRun(String,
   * Instant)}.
   */
  public String key() {
    return activityId + ":" + SCHEDULED_FOR.format(scheduledFor);
  }

  @Override
  public String toString() {
    return key();
  }
}
