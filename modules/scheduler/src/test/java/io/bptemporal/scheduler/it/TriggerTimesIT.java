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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The due times the scheduler computes for COMPRESS and backfill are the ones the server computes: for each
 * trigger, the server's next action times of the schedule equal {@link TriggerTimes} from its creation on.
 * Includes both daylight-saving changes of Europe/Berlin in 2027.
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
  @ValueSource(strings = {
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
          + " \"end_at\": \"2027-01-20T00:00:00Z\"}"})
  void theServerAgreesOnEveryDueTime(String trigger) {
    String id = "times-" + Integer.toHexString(trigger.hashCode());
    ActivityDefinition definition = Rows.probe(id, temporal.namespace, trigger);
    db.registry.put(definition);
    temporal.reconciler(db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity()).apply();

    ScheduleDescription description = temporal.schedules().getHandle(id).describe();
    List<Instant> server = description.getInfo().getNextActionTimes();
    Instant from = description.getInfo().getCreatedAt();
    List<Instant> ours = TriggerTimes.between(definition.trigger(), from, from.plus(Duration.ofDays(3660)), server.size());
    System.out.println(trigger + "\n  server: " + server + "\n  ours:   " + ours);
    assertThat(server).as("the server lists next action times").isNotEmpty();
    assertThat(ours).isEqualTo(server);
  }
}
