package io.bptemporal.scheduler.compress;

import io.bptemporal.contracts.activity.CalendarSpec;
import io.bptemporal.contracts.activity.CronExpression;
import io.bptemporal.contracts.activity.CronField;
import io.bptemporal.contracts.activity.IntervalSpec;
import io.bptemporal.contracts.activity.Trigger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The nominal times a trigger selects in a time range, computed the way a Temporal Schedule does: cron
 * expressions and calendars in the trigger's time zone (day-of-month and day-of-week must both match),
 * intervals as multiples of {@code every} since the Unix epoch plus {@code offset}, bounded by
 * {@code start_at}/{@code end_at}. Jitter is not applied (these are nominal times). Checked against the
 * server's own next action times in TriggerTimesIT. At a daylight-saving change a local time that does not
 * exist is moved forward by the gap, and an ambiguous one takes the earlier offset.
 */
public final class TriggerTimes {
  private TriggerTimes() {
  }

  /** The selected times in {@code (from, to]}, ascending, at most {@code limit} of them (the earliest). */
  public static List<Instant> between(Trigger trigger, Instant from, Instant to, int limit) {
    Instant lower = from;
    if (trigger.startAt().isPresent() && trigger.startAt().get().minusSeconds(1).isAfter(lower)) {
      lower = trigger.startAt().get().minusSeconds(1);
    }
    Instant upper = to;
    if (trigger.endAt().isPresent() && trigger.endAt().get().isBefore(upper)) {
      upper = trigger.endAt().get();
    }
    TreeSet<Instant> times = new TreeSet<>();
    if (!upper.isAfter(lower)) {
      return List.of();
    }
    ZoneId zone = ZoneId.of(trigger.timeZone());
    for (String cron : trigger.cron()) {
      CronExpression expression = CronExpression.parse(cron);
      calendar(times, new Fields(List.of(0), expression.minutes(), expression.hours(), expression.daysOfMonth(),
          expression.months(), expression.daysOfWeek()), zone, lower, upper, limit);
    }
    for (CalendarSpec calendar : trigger.calendars()) {
      calendar(times, new Fields(CronField.SECOND.parse(calendar.second()), CronField.MINUTE.parse(calendar.minute()),
          CronField.HOUR.parse(calendar.hour()), CronField.DAY_OF_MONTH.parse(calendar.dayOfMonth()),
          CronField.MONTH.parse(calendar.month()), CronField.DAY_OF_WEEK.parse(calendar.dayOfWeek())),
          zone, lower, upper, limit);
    }
    for (IntervalSpec interval : trigger.intervals()) {
      interval(times, interval, lower, upper, limit);
    }
    List<Instant> sorted = new ArrayList<>(times);
    return sorted.size() > limit ? List.copyOf(sorted.subList(0, limit)) : List.copyOf(sorted);
  }

  private record Fields(List<Integer> seconds, List<Integer> minutes, List<Integer> hours, List<Integer> daysOfMonth,
                        List<Integer> months, List<Integer> daysOfWeek) {
  }

  private static void calendar(TreeSet<Instant> times, Fields fields, ZoneId zone, Instant lower, Instant upper,
                               int limit) {
    // Walk the local days that can hold a time in (lower, upper]; a day's times are built from the field
    // values, so the cost is the number of matches, not the number of seconds in the range.
    LocalDate day = lower.atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = upper.atZone(zone).toLocalDate().plusDays(1);
    int found = 0;
    for (; !day.isAfter(last) && found < limit; day = day.plusDays(1)) {
      if (!fields.months().contains(day.getMonthValue()) || !fields.daysOfMonth().contains(day.getDayOfMonth())
          || !fields.daysOfWeek().contains(day.getDayOfWeek().getValue() % 7)) {
        continue;
      }
      for (int hour : fields.hours()) {
        for (int minute : fields.minutes()) {
          for (int second : fields.seconds()) {
            Instant time = ZonedDateTime.ofLocal(LocalDateTime.of(day, java.time.LocalTime.of(hour, minute, second)),
                zone, null).toInstant();
            if (time.isAfter(lower) && !time.isAfter(upper)) {
              times.add(time);
              if (++found >= limit) {
                return;
              }
            }
          }
        }
      }
    }
  }

  private static void interval(TreeSet<Instant> times, IntervalSpec interval, Instant lower, Instant upper, int limit) {
    long every = interval.every().getSeconds();
    long offset = interval.offset().getSeconds();
    long k = Math.floorDiv(lower.getEpochSecond() - offset, every) + 1;
    int found = 0;
    for (long t = k * every + offset; t <= upper.getEpochSecond() && found < limit; t += every) {
      if (t > lower.getEpochSecond()) {
        times.add(Instant.ofEpochSecond(t));
        found++;
      }
    }
  }
}
