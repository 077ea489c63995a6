package io.bptemporal.scheduler.temporal;

import io.bptemporal.contracts.activity.CalendarSpec;
import io.bptemporal.contracts.activity.CronField;
import io.bptemporal.contracts.activity.OverlapPolicy;
import io.bptemporal.contracts.activity.Trigger;
import io.bptemporal.scheduler.plan.CanonicalJson;
import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.ScheduleOwnership;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a {@link DesiredSchedule} into the Temporal SDK's {@link Schedule}. */
public final class ScheduleTranslation {
  private static final String OVERLAP_PREFIX = "SCHEDULE_OVERLAP_POLICY_";

  private ScheduleTranslation() {}

  public static Schedule toSchedule(DesiredSchedule desired) {
    String notes = ScheduleOwnership.notes(desired.activityId(), desired.specHash());
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(desired.workflowType())
                .setArguments(desired.argument())
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(desired.workflowIdBase())
                        .setTaskQueue(desired.taskQueue())
                        .setMemo(
                            Map.of(
                                ScheduleOwnership.ACTION_MEMO_SOURCE,
                                    CanonicalJson.text(desired.source()),
                                ScheduleOwnership.ACTION_MEMO_ACTIVITY_ID, desired.activityId()))
                        .build())
                .build())
        .setSpec(spec(desired.trigger()))
        .setPolicy(
            SchedulePolicy.newBuilder()
                .setOverlap(overlap(desired.temporal().overlap()))
                .setCatchupWindow(desired.temporal().catchupWindow())
                .setPauseOnFailure(desired.temporal().pauseOnFailure())
                .build())
        .setState(ScheduleState.newBuilder().setPaused(desired.paused()).setNote(notes).build())
        .build();
  }

  public static ScheduleOverlapPolicy overlap(OverlapPolicy policy) {
    return ScheduleOverlapPolicy.valueOf(OVERLAP_PREFIX + policy.name());
  }

  /** {@code SCHEDULE_OVERLAP_POLICY_SKIP} → {@code SKIP}. */
  public static String overlapName(ScheduleOverlapPolicy policy) {
    String name = policy == null ? "UNSPECIFIED" : policy.name();
    return name.startsWith(OVERLAP_PREFIX) ? name.substring(OVERLAP_PREFIX.length()) : name;
  }

  static ScheduleSpec spec(Trigger trigger) {
    ScheduleSpec.Builder spec =
        ScheduleSpec.newBuilder()
            // Cron text goes to the server as written: it parses it with its own rules (which the
            // contract's
            // cron syntax follows) and stores it as structured calendars.
            .setCronExpressions(trigger.cron())
            .setIntervals(
                trigger.intervals().stream()
                    .map(i -> new ScheduleIntervalSpec(i.every(), i.offset()))
                    .toList())
            .setCalendars(trigger.calendars().stream().map(ScheduleTranslation::calendar).toList())
            .setTimeZoneName(trigger.timeZone())
            .setJitter(trigger.jitter());
    trigger.startAt().ifPresent(spec::setStartAt);
    trigger.endAt().ifPresent(spec::setEndAt);
    return spec.build();
  }

  private static ScheduleCalendarSpec calendar(CalendarSpec calendar) {
    return ScheduleCalendarSpec.newBuilder()
        .setSeconds(ranges(CronField.SECOND.parse(calendar.second())))
        .setMinutes(ranges(CronField.MINUTE.parse(calendar.minute())))
        .setHour(ranges(CronField.HOUR.parse(calendar.hour())))
        .setDayOfMonth(ranges(CronField.DAY_OF_MONTH.parse(calendar.dayOfMonth())))
        .setMonth(ranges(CronField.MONTH.parse(calendar.month())))
        .setDayOfWeek(ranges(CronField.DAY_OF_WEEK.parse(calendar.dayOfWeek())))
        .setComment(calendar.comment())
        .build();
  }

  /** Ascending values as ranges of consecutive values: [1,2,3,7] → 1-3, 7. */
  static List<ScheduleRange> ranges(List<Integer> values) {
    List<ScheduleRange> ranges = new ArrayList<>();
    int i = 0;
    while (i < values.size()) {
      int start = values.get(i);
      int end = start;
      while (i + 1 < values.size() && values.get(i + 1) == end + 1) {
        end = values.get(++i);
      }
      ranges.add(start == end ? new ScheduleRange(start) : new ScheduleRange(start, end));
      i++;
    }
    return ranges;
  }
}
