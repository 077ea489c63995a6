package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.scheduler.compress.TriggerTimes;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.client.schedules.ScheduleDescription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The due times the scheduler computes for COMPRESS and backfill are the ones the server computes:
 * for each trigger, the server's next action times of the schedule equal {@link TriggerTimes} from
 * its creation on, and the server's own {@code ListScheduleMatchingTimes} over fixed ranges (past
 * and future, across both daylight-saving changes of Europe/Berlin and America/New_York in 2027)
 * equals {@link TriggerTimes} over the same ranges, so the clone of the server's calendar cannot
 * drift unnoticed. A jittered schedule shows why the clone stays (docs/scheduler.md#missed-runs):
 * the server lists jittered start times, the compressor needs the nominal ones.
 */
@ExtendWith(DevStackExtension.class)
class TriggerTimesIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_times");
    temporal = new TemporalFixture(stack, "sched-it-times");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"cron\": [\"*/7 9-17 * * MON-FRI\"], \"time_zone\": \"Europe/Berlin\"}",
        "{\"cron\": [\"0 0 13 * FRI\"]}",
        "{\"cron\": [\"@weekly\", \"15 6 1 */3 *\"], \"time_zone\": \"America/New_York\"}",
        "{\"calendars\": [{\"second\": \"*/20\", \"minute\": \"*/5\", \"hour\": \"*\"}], \"time_zone\": \"Asia/Kolkata\"}",
        "{\"intervals\": [{\"every\": \"7m\", \"offset\": \"3m\"}, {\"every\": \"1h\"}]}",
        "{\"cron\": [\"30 2 * * *\"], \"time_zone\": \"Europe/Berlin\", \"start_at\": \"2027-03-24T00:00:00Z\"}",
        "{\"cron\": [\"30 2 * * *\"], \"time_zone\": \"Europe/Berlin\", \"start_at\": \"2027-10-27T00:00:00Z\"}",
        "{\"cron\": [\"30 1 * * *\"], \"time_zone\": \"America/New_York\", \"start_at\": \"2027-11-05T00:00:00Z\"}",
        "{\"calendars\": [{\"minute\": \"*/20\", \"hour\": \"0-3\"}], \"time_zone\": \"Europe/Berlin\","
            + " \"start_at\": \"2027-10-31T00:00:00Z\"}",
        "{\"calendars\": [{\"minute\": \"0\", \"hour\": \"9\", \"day_of_week\": \"SAT,SUN\"}], \"start_at\": \"2027-01-01T00:00:00Z\","
            + " \"end_at\": \"2027-01-20T00:00:00Z\"}"
      })
  void theServerAgreesOnEveryDueTime(String trigger) {
    String id = "times-" + Integer.toHexString(trigger.hashCode());
    ActivityDefinition definition = Rows.probe(id, temporal.namespace, trigger);
    db.registry.put(definition);
    temporal
        .reconciler(
            db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity())
        .apply();

    ScheduleDescription description = temporal.schedules().getHandle(id).describe();
    List<Instant> server = description.getInfo().getNextActionTimes();
    Instant from = description.getInfo().getCreatedAt();
    List<Instant> ours =
        TriggerTimes.between(
            definition.trigger(), from, from.plus(Duration.ofDays(3660)), server.size());
    System.out.println(trigger + "\n  server: " + server + "\n  ours:   " + ours);
    assertThat(server).as("the server lists next action times").isNotEmpty();
    assertThat(ours).isEqualTo(server);
  }

  /**
   * Triggers with a range to ask about; {@code |} separates trigger, from and to (the trigger JSON
   * has commas).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      {"cron": ["*/7 9-17 * * MON-FRI"], "time_zone": "Europe/Berlin"}                     | 2027-03-26T00:00:00Z | 2027-04-02T00:00:00Z
      {"cron": ["30 2 * * *"], "time_zone": "Europe/Berlin"}                               | 2027-03-01T00:00:00Z | 2027-11-30T00:00:00Z
      {"cron": ["30 1 * * *", "0 0 13 * FRI"], "time_zone": "America/New_York"}            | 2027-01-01T00:00:00Z | 2027-12-31T00:00:00Z
      {"cron": ["@weekly", "15 6 1 */3 *"], "time_zone": "America/New_York"}               | 2026-01-01T00:00:00Z | 2028-01-01T00:00:00Z
      {"calendars": [{"second": "*/20", "minute": "*/5", "hour": "*"}], "time_zone": "Asia/Kolkata"} | 2027-06-01T00:00:00Z | 2027-06-01T12:00:00Z
      {"calendars": [{"minute": "*/20", "hour": "0-3"}], "time_zone": "Europe/Berlin"}     | 2027-10-29T00:00:00Z | 2027-11-02T00:00:00Z
      {"calendars": [{"minute": "0", "hour": "9", "day_of_week": "SAT,SUN"}], "time_zone": "Europe/Berlin", "start_at": "2027-01-01T00:00:00Z", "end_at": "2027-01-20T00:00:00Z"} | 2026-12-01T00:00:00Z | 2027-02-01T00:00:00Z
      {"intervals": [{"every": "7m", "offset": "3m"}, {"every": "1h"}]}                     | 2025-06-01T00:00:00Z | 2025-06-02T00:00:00Z
      {"intervals": [{"every": "90m", "offset": "17m"}], "start_at": "2027-03-27T10:00:00Z"} | 2027-03-27T00:00:00Z | 2027-04-03T00:00:00Z
      """)
  void listScheduleMatchingTimesAgreesOverTheRange(String trigger, String from, String to) {
    String id = "matching-" + Integer.toHexString(trigger.hashCode());
    ActivityDefinition definition = create(id, trigger);
    Instant lower = Instant.parse(from);
    Instant upper = Instant.parse(to);

    List<Instant> server = temporal.matchingTimes(id, lower, upper);
    List<Instant> ours =
        TriggerTimes.between(definition.trigger(), lower, upper, SERVER_MATCHING_TIMES_CAP + 1);

    System.out.println(
        trigger + " (" + from + ", " + to + "]: server " + server.size() + ", ours " + ours.size());
    assertThat(server)
        .as("the range must stay under the server's cap, or the comparison would be cut short")
        .hasSizeLessThan(SERVER_MATCHING_TIMES_CAP)
        .isNotEmpty();
    assertThat(ours).isEqualTo(server);
  }

  /**
   * Why the clone stays: with jitter the server lists the jittered start times (each at or after
   * its nominal time, within the jitter), while runs are named and compared by their nominal time,
   * which only the clone gives.
   */
  @Test
  void withJitterTheServerListsJitteredTimesNotTheNominalOnes() {
    String trigger = "{\"cron\": [\"*/5 * * * *\"], \"jitter\": \"4m\"}";
    ActivityDefinition definition = create("matching-jitter", trigger);
    Instant lower = Instant.parse("2027-05-01T00:00:00Z");
    Instant upper = Instant.parse("2027-05-01T06:00:00Z");

    List<Instant> server = temporal.matchingTimes("matching-jitter", lower, upper);
    List<Instant> nominal = TriggerTimes.between(definition.trigger(), lower, upper, 1000);

    // A last nominal time close to the range's end may be jittered past it; the server then lists
    // one fewer.
    assertThat(server).hasSizeBetween(nominal.size() - 1, nominal.size()).isNotEqualTo(nominal);
    for (int i = 0; i < server.size(); i++) {
      Duration shift = Duration.between(nominal.get(i), server.get(i));
      assertThat(shift)
          .as("jitter of %s", nominal.get(i))
          .isGreaterThanOrEqualTo(Duration.ZERO)
          .isLessThan(Duration.ofMinutes(4));
    }
  }

  /**
   * The server stops listing after this many times (maxListMatchingTimesCount in the server's
   * scheduler).
   */
  private static final int SERVER_MATCHING_TIMES_CAP = 1000;

  private static ActivityDefinition create(String id, String trigger) {
    ActivityDefinition definition = Rows.probe(id, temporal.namespace, trigger);
    db.registry.put(definition);
    temporal
        .reconciler(
            db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity())
        .apply();
    return definition;
  }
}
