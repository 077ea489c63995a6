package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * A calendar spec, Temporal's {@code CalendarSpec}: each field uses the range syntax of {@link
 * CronField}. Unlike cron it can select seconds. Defaults follow Temporal: second, minute and hour
 * {@code "0"}, the date fields {@code "*"} — so {@code {"hour": "9", "day_of_week": "MON-FRI"}} is
 * 09:00:00 on weekdays.
 *
 * @param comment free text shown with the schedule, e.g. "weekday mornings"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CalendarSpec(
    String second,
    String minute,
    String hour,
    String dayOfMonth,
    String month,
    String dayOfWeek,
    String comment) {

  public CalendarSpec {
    second = Objects.requireNonNullElse(second, "0");
    minute = Objects.requireNonNullElse(minute, "0");
    hour = Objects.requireNonNullElse(hour, "0");
    dayOfMonth = Objects.requireNonNullElse(dayOfMonth, "*");
    month = Objects.requireNonNullElse(month, "*");
    dayOfWeek = Objects.requireNonNullElse(dayOfWeek, "*");
    comment = Objects.requireNonNullElse(comment, "");
  }
}
