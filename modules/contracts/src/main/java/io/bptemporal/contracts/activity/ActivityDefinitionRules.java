package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of an activity definition that its schema cannot express: cron and calendar syntax,
 * IANA zones, and the relations between fields.
 */
public final class ActivityDefinitionRules implements DocumentRules {

  private static final Map<String, CronField> CALENDAR_FIELDS =
      Map.of(
          "second", CronField.SECOND,
          "minute", CronField.MINUTE,
          "hour", CronField.HOUR,
          "day_of_month", CronField.DAY_OF_MONTH,
          "month", CronField.MONTH,
          "day_of_week", CronField.DAY_OF_WEEK);

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonPath root = JsonPath.root();
    JsonNode trigger = document.path("trigger");
    if (trigger.isObject()) {
      checkTrigger(trigger, root.property("trigger"), violations);
    }
    JsonNode window = document.path("policies").path("catch_up_window");
    Optional<Duration> catchUp =
        window.isTextual() ? DurationText.tryParse(window.asText()) : Optional.empty();
    if (catchUp.isPresent() && catchUp.get().compareTo(SchedulePolicies.MIN_CATCH_UP_WINDOW) < 0) {
      violations.add(
          root.property("policies").property("catch_up_window"),
          "is shorter than 10s, the smallest catch-up window Temporal accepts",
          "a duration of at least 10s, e.g. 10m or 1h",
          window);
    }
  }

  private static void checkTrigger(JsonNode trigger, JsonPath at, Violations violations) {
    JsonNode cron = trigger.path("cron");
    for (int i = 0; i < cron.size(); i++) {
      JsonNode expression = cron.path(i);
      if (expression.isTextual() && !expression.asText().isEmpty()) {
        try {
          CronExpression.parse(expression.asText());
        } catch (CronSyntaxException e) {
          violations.add(
              at.property("cron").index(i), e.getMessage(), CronExpression.ACCEPTED, expression);
        }
      }
    }

    JsonNode calendars = trigger.path("calendars");
    for (int i = 0; i < calendars.size(); i++) {
      JsonNode calendar = calendars.path(i);
      for (Map.Entry<String, CronField> field : CALENDAR_FIELDS.entrySet()) {
        JsonNode spec = calendar.path(field.getKey());
        if (spec.isTextual()) {
          try {
            field.getValue().parse(spec.asText());
          } catch (CronSyntaxException e) {
            violations.add(
                at.property("calendars").index(i).property(field.getKey()),
                e.getMessage(),
                field.getValue().range() + " with *, n, a-b, a-b/s, n/s and comma lists",
                spec);
          }
        }
      }
    }

    JsonNode intervals = trigger.path("intervals");
    for (int i = 0; i < intervals.size(); i++) {
      checkInterval(intervals.path(i), at.property("intervals").index(i), violations);
    }

    JsonNode zone = trigger.path("time_zone");
    if (zone.isTextual() && !TimeZones.isIana(zone.asText())) {
      String hint =
          TimeZones.suggestion(zone.asText()).map(s -> " (did you mean " + s + "?)").orElse("");
      violations.add(
          at.property("time_zone"), "is not an IANA time zone" + hint, TimeZones.ACCEPTED, zone);
    }

    Optional<Instant> startAt = instant(trigger.path("start_at"));
    Optional<Instant> endAt = instant(trigger.path("end_at"));
    if (startAt.isPresent() && endAt.isPresent() && !endAt.get().isAfter(startAt.get())) {
      violations.add(
          at.property("end_at"),
          "is not after start_at (" + startAt.get() + ")",
          "an instant later than start_at, or no end_at",
          trigger.path("end_at"));
    }

    boolean anySource = false;
    boolean listsWellFormed = true;
    for (String source : new String[] {"cron", "intervals", "calendars", "event_types"}) {
      JsonNode list = trigger.path(source);
      anySource |= list.isArray() && !list.isEmpty();
      listsWellFormed &= list.isMissingNode() || list.isArray();
    }
    // A list of the wrong type is already reported by the schema; "nothing is due" would only
    // repeat it.
    if (!anySource && listsWellFormed) {
      violations.add(
          at,
          "has nothing that makes a run due",
          "at least one entry in cron, intervals, calendars or event_types",
          trigger);
    }
  }

  private static void checkInterval(JsonNode interval, JsonPath at, Violations violations) {
    JsonNode everyNode = interval.path("every");
    JsonNode offsetNode = interval.path("offset");
    Optional<Duration> every =
        everyNode.isTextual() ? DurationText.tryParse(everyNode.asText()) : Optional.empty();
    Optional<Duration> offset =
        offsetNode.isTextual() ? DurationText.tryParse(offsetNode.asText()) : Optional.empty();
    if (every.isPresent() && every.get().isZero()) {
      violations.add(
          at.property("every"), "is zero", "a duration of at least 1s, e.g. 15m", everyNode);
    } else if (every.isPresent()
        && offset.isPresent()
        && offset.get().compareTo(every.get()) >= 0) {
      violations.add(
          at.property("offset"),
          "is not shorter than every (" + everyNode.asText() + ")",
          "a duration from 0s up to, not including, every",
          offsetNode);
    }
  }

  private static Optional<Instant> instant(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(node.asText()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
