package io.bptemporal.scheduler.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.Trigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deterministic cases; TriggerTimesIT compares the same computation with the real server. */
class TriggerTimesTest {

  private static Trigger trigger(String json) {
    return ContractValidator.validateDefinition(
            """
        {"activity_id": "a", "version": 1, "namespace": "ns", "workflow_type": "W", "task_queue": "tq",
         "trigger": %s, "owner": "o"}"""
                .formatted(json))
        .orElseThrow()
        .trigger();
  }

  private static List<Instant> times(String... instants) {
    return java.util.Arrays.stream(instants).map(Instant::parse).toList();
  }

  @Test
  void cronInAZoneBetweenTwoInstantsExclusiveInclusive() {
    Trigger t = trigger("{\"cron\": [\"0 9 * * MON-FRI\"], \"time_zone\": \"Europe/Berlin\"}");
    assertThat(
            TriggerTimes.between(
                t,
                Instant.parse("2026-11-20T08:00:00Z"),
                Instant.parse("2026-11-24T08:00:00Z"),
                100))
        .containsExactly(
            Instant.parse("2026-11-23T08:00:00Z"), Instant.parse("2026-11-24T08:00:00Z"));
  }

  @Test
  void dayOfMonthAndDayOfWeekMustBothMatch() {
    Trigger fridayThe13th = trigger("{\"cron\": [\"0 0 13 * FRI\"]}");
    assertThat(
            TriggerTimes.between(
                fridayThe13th,
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-12-31T00:00:00Z"),
                100))
        .isEqualTo(
            times(
                "2026-02-13T00:00:00Z",
                "2026-03-13T00:00:00Z",
                "2026-11-13T00:00:00Z",
                "2027-08-13T00:00:00Z"));
  }

  @Test
  void intervalsAreMultiplesSinceTheEpochShiftedByTheirOffset() {
    Trigger t = trigger("{\"intervals\": [{\"every\": \"1h\", \"offset\": \"15m\"}]}");
    assertThat(
            TriggerTimes.between(
                t,
                Instant.parse("2026-11-21T10:15:00Z"),
                Instant.parse("2026-11-21T13:00:00Z"),
                100))
        .isEqualTo(times("2026-11-21T11:15:00Z", "2026-11-21T12:15:00Z"));
  }

  @Test
  void startAndEndBoundTheTimesAndTheLimitKeepsTheEarliest() {
    Trigger t =
        trigger(
            "{\"cron\": [\"0 * * * *\"], \"start_at\": \"2026-11-21T10:00:00Z\","
                + " \"end_at\": \"2026-11-21T13:00:00Z\"}");
    assertThat(
            TriggerTimes.between(
                t,
                Instant.parse("2026-11-21T00:00:00Z"),
                Instant.parse("2026-11-22T00:00:00Z"),
                100))
        .isEqualTo(
            times(
                "2026-11-21T10:00:00Z",
                "2026-11-21T11:00:00Z",
                "2026-11-21T12:00:00Z",
                "2026-11-21T13:00:00Z"));
    assertThat(
            TriggerTimes.between(
                t, Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"), 2))
        .isEqualTo(times("2026-11-21T10:00:00Z", "2026-11-21T11:00:00Z"));
  }

  @Test
  void daylightSavingFollowsTheServer() {
    Trigger berlin = trigger("{\"cron\": [\"30 2 * * *\"], \"time_zone\": \"Europe/Berlin\"}");
    // 2027-03-28 02:30 does not exist in Berlin: the server skips that day.
    assertThat(
            TriggerTimes.between(
                berlin,
                Instant.parse("2027-03-27T00:00:00Z"),
                Instant.parse("2027-03-29T12:00:00Z"),
                10))
        .isEqualTo(times("2027-03-27T01:30:00Z", "2027-03-29T00:30:00Z"));
    // 2027-10-31 02:30 happens twice: the server takes the second (CET) one, like Go's time.Date.
    assertThat(
            TriggerTimes.between(
                berlin,
                Instant.parse("2027-10-30T12:00:00Z"),
                Instant.parse("2027-11-01T12:00:00Z"),
                10))
        .isEqualTo(times("2027-10-31T01:30:00Z", "2027-11-01T01:30:00Z"));
    // West of UTC the server runs both 01:30s of 2027-11-07 in New York (EDT, then EST);
    // TriggerTimesIT
    // shows the server doing it.
    Trigger newYork = trigger("{\"cron\": [\"30 1 7 11 *\"], \"time_zone\": \"America/New_York\"}");
    assertThat(
            TriggerTimes.between(
                newYork,
                Instant.parse("2027-11-07T00:00:00Z"),
                Instant.parse("2027-11-08T00:00:00Z"),
                10))
        .isEqualTo(times("2027-11-07T05:30:00Z", "2027-11-07T06:30:00Z"));
  }

  @Test
  void calendarsCanSelectSeconds() {
    Trigger t =
        trigger("{\"calendars\": [{\"second\": \"0,30\", \"minute\": \"*\", \"hour\": \"*\"}]}");
    assertThat(
            TriggerTimes.between(
                t,
                Instant.parse("2026-11-21T10:00:00Z"),
                Instant.parse("2026-11-21T10:01:00Z"),
                10))
        .isEqualTo(times("2026-11-21T10:00:30Z", "2026-11-21T10:01:00Z"));
  }
}
