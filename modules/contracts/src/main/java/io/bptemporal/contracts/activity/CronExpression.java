package io.bptemporal.contracts.activity;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A five-field cron expression as a Temporal Schedule reads it: {@code minute hour day-of-month
 * month day-of-week}, or one of the macros
 * {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.
 *
 * <p>Deliberately refused, each with a message saying where the value belongs instead:
 * {@code @every} (use {@code trigger.intervals}), a {@code CRON_TZ=}/{@code TZ=} prefix (use {@code
 * trigger.time_zone}), and the 6- and 7-field forms with seconds and years (use {@code
 * trigger.calendars}).
 *
 * <p>Note Temporal's semantics: when both day-of-month and day-of-week are restricted, a time must
 * match <em>both</em> (classic cron matches either). {@code 0 0 13 * FRI} is "Friday the 13th", not
 * "every 13th and every Friday".
 *
 * @param text the expression as written
 * @param minutes selected minutes, ascending
 * @param hours selected hours, ascending
 * @param daysOfMonth selected days of the month, ascending
 * @param months selected months (1 = January), ascending
 * @param daysOfWeek selected days of the week (0 = Sunday), ascending
 */
public record CronExpression(
    String text,
    List<Integer> minutes,
    List<Integer> hours,
    List<Integer> daysOfMonth,
    List<Integer> months,
    List<Integer> daysOfWeek) {

  public static final String ACCEPTED =
      "five fields 'minute hour day-of-month month day-of-week'"
          + " (0-59, 0-23, 1-31, 1-12 or JAN-DEC, 0-7 or SUN-SAT with 0 and 7 = Sunday) made of *, n, a-b,"
          + " */s, a-b/s, n/s and comma lists, e.g. '0 2 * * MON-FRI'; or one of @yearly, @annually,"
          + " @monthly, @weekly, @daily, @midnight, @hourly";

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  public CronExpression {
    minutes = List.copyOf(minutes);
    hours = List.copyOf(hours);
    daysOfMonth = List.copyOf(daysOfMonth);
    months = List.copyOf(months);
    daysOfWeek = List.copyOf(daysOfWeek);
  }

  /**
   * @throws CronSyntaxException with a message naming the field and the offending part
   */
  public static CronExpression parse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new CronSyntaxException("cron expression is empty");
    }
    String upper = trimmed.toUpperCase(Locale.ROOT);
    if (upper.startsWith("CRON_TZ=") || upper.startsWith("TZ=")) {
      throw new CronSyntaxException(
          "cron expression has a time zone prefix; set trigger.time_zone instead");
    }
    if (trimmed.startsWith("@every")) {
      throw new CronSyntaxException(
          "@every is not accepted in cron; put intervals in trigger.intervals");
    }
    String expanded = trimmed;
    if (trimmed.startsWith("@")) {
      expanded = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new CronSyntaxException("unknown macro '" + trimmed + "'");
      }
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      String hint =
          fields.length == 6 || fields.length == 7
              ? "; seconds and years are not accepted in cron, use trigger.calendars"
              : "";
      throw new CronSyntaxException(
          "cron expression has " + fields.length + " field(s), expected 5" + hint);
    }
    return new CronExpression(
        text,
        CronField.MINUTE.parse(fields[0]),
        CronField.HOUR.parse(fields[1]),
        CronField.DAY_OF_MONTH.parse(fields[2]),
        CronField.MONTH.parse(fields[3]),
        CronField.DAY_OF_WEEK.parse(fields[4]));
  }
}
