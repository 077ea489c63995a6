package io.bptemporal.scheduler.plan;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a Temporal Schedule says that this scheduler manages it, and which registry state it was
 * written from. Documented in docs/scheduler.md#ownership.
 *
 * <ul>
 *   <li>Schedule memo {@value #MEMO_MANAGED_BY} = {@value #MANAGED_BY} and {@value
 *       #MEMO_ACTIVITY_ID} = the activity_id: set at creation; Temporal cannot change a schedule's
 *       memo afterwards, which is what makes it a trustworthy marker. A schedule without it is
 *       never updated or deleted.
 *   <li>Schedule notes {@code managed by bp-temporal-scheduler from registry row <id>; spec
 *       sha256:<hex>}: rewritten with every change, listed by ListSchedules, so an unchanged
 *       schedule is recognised without describing it.
 *   <li>Action memo {@value #ACTION_MEMO_SOURCE}: the registry side of the schedule as JSON, so a
 *       plan can name the fields that changed since the last apply (Temporal stores cron
 *       expressions in a canonical form that cannot be compared with the row). The action memo is
 *       copied to every run, so each run also says which activity started it.
 * </ul>
 */
public final class ScheduleOwnership {
  public static final String MEMO_MANAGED_BY = "bp-managed-by";
  public static final String MANAGED_BY = "bp-temporal-scheduler";
  public static final String MEMO_ACTIVITY_ID = "bp-activity-id";
  public static final String ACTION_MEMO_SOURCE = "bp-schedule-source";
  public static final String ACTION_MEMO_ACTIVITY_ID = "bp-activity-id";

  private static final Pattern HASH_IN_NOTES = Pattern.compile("spec (sha256:[0-9a-f]{64})");

  private ScheduleOwnership() {}

  public static String notes(String activityId, String specHash) {
    return "managed by " + MANAGED_BY + " from registry row " + activityId + "; spec " + specHash;
  }

  /**
   * The status message of a row whose schedule ID is taken by a schedule this scheduler does not
   * manage.
   */
  public static String conflict(String namespace, String scheduleId) {
    return "schedule "
        + namespace
        + "/"
        + scheduleId
        + " exists but is not managed by "
        + MANAGED_BY
        + " (its memo lacks "
        + MEMO_MANAGED_BY
        + "="
        + MANAGED_BY
        + "), so it is left alone; rename the"
        + " activity_id or delete that schedule";
  }

  public static Optional<String> specHashInNotes(String notes) {
    if (notes == null) {
      return Optional.empty();
    }
    Matcher matcher = HASH_IN_NOTES.matcher(notes);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
