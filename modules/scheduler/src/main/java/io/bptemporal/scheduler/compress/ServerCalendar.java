package io.bptemporal.scheduler.compress;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One calendar (a cron expression or calendar spec) stepped through time exactly as the Temporal
 * server's scheduler does it (service/worker/scheduler/calendar.go, v1.31.2), including its
 * daylight-saving rules: a local time that does not exist is skipped, an ambiguous one resolves the
 * way Go's {@code time.Date} does (the offset in effect at the local time read as UTC), and a
 * repeated hour is visited again when the hour before it matches. TriggerTimesIT holds this against
 * the server's own next action times and {@code ListScheduleMatchingTimes}; why the clone is kept
 * rather than asking the server: {@link TriggerTimes}.
 */
final class ServerCalendar {
  /** The server gives up after this year. */
  static final int MAX_YEAR = 2100;

  private static final int HOUR = 3600;

  private final Set<Integer> seconds;
  private final Set<Integer> minutes;
  private final Set<Integer> hours;
  private final Set<Integer> daysOfMonth;
  private final Set<Integer> months;
  private final Set<Integer> daysOfWeek;
  private final ZoneId zone;

  ServerCalendar(
      List<Integer> seconds,
      List<Integer> minutes,
      List<Integer> hours,
      List<Integer> daysOfMonth,
      List<Integer> months,
      List<Integer> daysOfWeek,
      ZoneId zone) {
    this.seconds = new TreeSet<>(seconds);
    this.minutes = new TreeSet<>(minutes);
    this.hours = new TreeSet<>(hours);
    this.daysOfMonth = new TreeSet<>(daysOfMonth);
    this.months = new TreeSet<>(months);
    this.daysOfWeek = new TreeSet<>(daysOfWeek);
    this.zone = zone;
  }

  /** The first matching time strictly after {@code after}; empty past {@link #MAX_YEAR}. */
  Optional<Instant> next(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    int y = local.getYear();
    int mo = local.getMonthValue();
    int d = local.getDayOfMonth();
    int h = local.getHour();
    int m = local.getMinute();
    int s = local.getSecond();
    long dstOffset = 0;
    if (LocalDateTime.ofInstant(after.minusSeconds(HOUR), zone).getHour() == h) {
      dstOffset = HOUR; // in the second copy of a repeated hour
    }
    s++;
    outer:
    while (true) {
      if (s >= 60) {
        m++;
        s = 0;
      }
      if (m >= 60) {
        long previous = goDate(y, mo, d, h, 0, 0);
        h++;
        m = 0;
        long next = goDate(y, mo, d, h, 0, 0);
        // Two hours between two consecutive hours: a repeated hour was jumped over; visit it again,
        // shifted.
        if (dstOffset == 0 && next - previous > HOUR) {
          h--;
          dstOffset = HOUR;
        } else {
          dstOffset = 0;
        }
      }
      if (h >= 24) {
        d++;
        h = 0;
      }
      if (mo <= 12 && d > YearMonth.of(y, mo).lengthOfMonth()) {
        mo++;
        d = 1;
      }
      if (mo > 12) {
        y++;
        mo = 1;
      }
      if (y > MAX_YEAR) {
        return Optional.empty();
      }
      while (!months.contains(mo)) {
        mo++;
        d = 1;
        h = 0;
        m = 0;
        s = 0;
        dstOffset = 0;
        if (mo > 12) {
          continue outer;
        }
      }
      while (!daysOfMonth.contains(d)
          || !daysOfWeek.contains(LocalDate.of(y, mo, d).getDayOfWeek().getValue() % 7)) {
        d++;
        h = 0;
        m = 0;
        s = 0;
        dstOffset = 0;
        if (d > YearMonth.of(y, mo).lengthOfMonth()) {
          continue outer;
        }
      }
      while (!hours.contains(h)) {
        h++;
        m = 0;
        s = 0;
        dstOffset = 0;
        if (h >= 24) {
          continue outer;
        }
      }
      while (!minutes.contains(m)) {
        m++;
        s = 0;
        if (m >= 60) {
          continue outer;
        }
      }
      while (!seconds.contains(s)) {
        s++;
        if (s >= 60) {
          continue outer;
        }
      }
      long candidate = goDate(y, mo, d, h, m, s);
      if (LocalDateTime.ofInstant(Instant.ofEpochSecond(candidate), zone).getHour() != h) {
        // A local time that does not exist (jumped over by a DST change).
        h++;
        m = 0;
        s = 0;
        continue;
      }
      return Optional.of(Instant.ofEpochSecond(candidate + dstOffset));
    }
  }

  /**
   * Go's {@code time.Date(y, mo, d, h, m, s, 0, zone).Unix()}: hour 24 rolls into the next day, and
   * the offset is the one in effect at the local time read as UTC - unless that instant lies
   * outside the offset's period, then the offset at the resulting instant.
   */
  private long goDate(int y, int mo, int d, int h, int m, int s) {
    long unix =
        LocalDateTime.of(y, mo, d, 0, 0)
            .plusHours(h)
            .plusMinutes(m)
            .plusSeconds(s)
            .toEpochSecond(ZoneOffset.UTC);
    ZoneRules rules = zone.getRules();
    Instant asUtc = Instant.ofEpochSecond(unix);
    int offset = rules.getOffset(asUtc).getTotalSeconds();
    if (offset != 0) {
      long utc = unix - offset;
      ZoneOffsetTransition before = rules.previousTransition(asUtc.plusSeconds(1));
      ZoneOffsetTransition after = rules.nextTransition(asUtc);
      long start = before == null ? Long.MIN_VALUE : before.toEpochSecond();
      long end = after == null ? Long.MAX_VALUE : after.toEpochSecond();
      if (utc < start || utc >= end) {
        offset = rules.getOffset(Instant.ofEpochSecond(utc)).getTotalSeconds();
      }
      unix -= offset;
    }
    return unix;
  }
}
