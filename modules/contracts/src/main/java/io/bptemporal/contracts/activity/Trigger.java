package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When an activity runs. A run is due whenever any of {@code cron}, {@code intervals} or {@code
 * calendars} matches, or when an event of one of {@code event_types} arrives; at least one of the
 * four is needed.
 *
 * @param cron five-field cron expressions, see {@link CronExpression}
 * @param intervals fixed intervals
 * @param calendars calendar specs (can select seconds)
 * @param eventTypes envelope {@code type}s that start a run, e.g. {@code order.placed}
 * @param timeZone IANA zone the cron expressions and calendars are read in; default {@code UTC}
 * @param jitter each run starts up to this much later, at random, to spread load; default {@code
 *     0s}
 * @param startAt no run is due before this instant
 * @param endAt no run is due after this instant
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Trigger(
    List<String> cron,
    List<IntervalSpec> intervals,
    List<CalendarSpec> calendars,
    List<String> eventTypes,
    String timeZone,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration jitter,
    Optional<Instant> startAt,
    Optional<Instant> endAt) {

  public static final String DEFAULT_TIME_ZONE = "UTC";

  public Trigger {
    cron = List.copyOf(Objects.requireNonNullElse(cron, List.of()));
    intervals = List.copyOf(Objects.requireNonNullElse(intervals, List.of()));
    calendars = List.copyOf(Objects.requireNonNullElse(calendars, List.of()));
    eventTypes = List.copyOf(Objects.requireNonNullElse(eventTypes, List.of()));
    timeZone = Objects.requireNonNullElse(timeZone, DEFAULT_TIME_ZONE);
    jitter = Objects.requireNonNullElse(jitter, Duration.ZERO);
    startAt = Objects.requireNonNullElse(startAt, Optional.empty());
    endAt = Objects.requireNonNullElse(endAt, Optional.empty());
  }

  /** A trigger of cron expressions only, in the given zone. */
  public static Trigger cron(String timeZone, String... expressions) {
    return new Trigger(
        List.of(expressions),
        List.of(),
        List.of(),
        List.of(),
        timeZone,
        Duration.ZERO,
        Optional.empty(),
        Optional.empty());
  }
}
