package io.bptemporal.scheduler.temporal;

import io.bptemporal.scheduler.plan.CanonicalJson;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A hash of a schedule's spec and workflow type in the form the server stores them. The server
 * rewrites cron expressions into structured calendars, so this cannot be compared with the registry
 * row; it is compared with itself over time: the scheduler records it once a schedule carries the
 * row's spec hash, and a later difference means someone changed the schedule outside the registry
 * while keeping its notes.
 */
public final class SpecFingerprint {
  private SpecFingerprint() {}

  public static String of(ScheduleSpec spec, String workflowType) {
    StringBuilder text = new StringBuilder();
    text.append("type=").append(workflowType);
    if (spec != null) {
      text.append("|cal=").append(calendars(spec.getCalendars()));
      text.append("|skip=").append(calendars(spec.getSkip()));
      text.append("|int=").append(intervals(spec.getIntervals()));
      text.append("|cron=")
          .append(
              spec.getCronExpressions() == null ? "" : String.join(";", spec.getCronExpressions()));
      text.append("|start=").append(spec.getStartAt());
      text.append("|end=").append(spec.getEndAt());
      text.append("|jitter=").append(spec.getJitter());
      text.append("|tz=").append(spec.getTimeZoneName());
    }
    return CanonicalJson.sha256(text.toString());
  }

  private static String calendars(List<ScheduleCalendarSpec> calendars) {
    if (calendars == null) {
      return "";
    }
    return calendars.stream()
        .map(
            c ->
                "s"
                    + ranges(c.getSeconds())
                    + "m"
                    + ranges(c.getMinutes())
                    + "h"
                    + ranges(c.getHour())
                    + "d"
                    + ranges(c.getDayOfMonth())
                    + "M"
                    + ranges(c.getMonth())
                    + "y"
                    + ranges(c.getYear())
                    + "w"
                    + ranges(c.getDayOfWeek())
                    + "c"
                    + c.getComment())
        .collect(Collectors.joining(";"));
  }

  private static String intervals(List<ScheduleIntervalSpec> intervals) {
    if (intervals == null) {
      return "";
    }
    return intervals.stream()
        .map(i -> i.getEvery() + "+" + i.getOffset())
        .collect(Collectors.joining(";"));
  }

  private static String ranges(List<ScheduleRange> ranges) {
    if (ranges == null) {
      return "[]";
    }
    return ranges.stream()
        .map(r -> r.getStart() + "-" + r.getEnd() + "/" + r.getStep())
        .collect(Collectors.joining(",", "[", "]"));
  }
}
