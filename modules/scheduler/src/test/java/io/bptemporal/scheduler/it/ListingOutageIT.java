package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleDescription;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler while ListSchedules fails: the visibility store down or, on a loaded machine, too
 * slow to answer (a 1,000-schedule listing was seen to time out after 62 s while PostgreSQL and the
 * server shared two busy cores).
 */
@ExtendWith(DevStackExtension.class)
class ListingOutageIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_outage");
    temporal = new TemporalFixture(stack, "sched-it-outage");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  /**
   * A pass still applies the registry's changes by describing each row's schedule; only a schedule
   * whose row is gone waits for a listing. Before, such a pass changed nothing in the namespace
   * (every row "cannot list"): a pause requested then was skipped until a pass could list — what
   * made ScheduleLifecycleIT fail on a busy machine.
   */
  @Test
  void changesReachTheScheduleWhileTheNamespaceCannotBeListed() {
    String id = "lifecycle-unlisted";
    AtomicReference<ListingOutageScheduleClient> client = new AtomicReference<>();
    ScheduleReconciler reconciler =
        temporal.reconciler(
            db,
            new ScheduleCallCounter(),
            Set.of(Rows.PROBE_WORKFLOW),
            schedules -> {
              client.set(new ListingOutageScheduleClient(schedules));
              return client.get();
            });

    db.registry.put(
        Rows.probe(
            id,
            temporal.namespace,
            """
        {"cron": ["0 2 * * *"], "time_zone": "Europe/Berlin"}"""));
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Create.class);
    assertThat(client.get().outage).as("the listing really failed").isTrue();
    assertThat(hour(id)).isEqualTo(2);

    db.sql(
        "update activity_definition set trigger = jsonb_set(trigger, '{cron}', '[\"0 3 * * *\"]') where activity_id = '"
            + id
            + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(hour(id)).isEqualTo(3);

    db.sql("update activity_definition set paused = true where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Pause.class);
    assertThat(describe(id).getSchedule().getState().isPaused()).isTrue();
    assertThat(reconciler.plan().changes())
        .as("a describe-only pass sees nothing left to do")
        .isEmpty();

    db.sql("update activity_definition set enabled = false where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Delete.class);
    assertThat(exists(id)).isFalse();

    db.sql("update activity_definition set enabled = true where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Create.class);
    db.sql("delete from activity_definition where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied())
        .as("without a row and a listing nothing names the schedule")
        .isEmpty();
    assertThat(exists(id)).isTrue();

    client.get().outage.set(false);
    awaitListed(id);
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Delete.class);
    assertThat(exists(id)).isFalse();
  }

  /**
   * The hour of the schedule's first calendar: the server keeps cron expressions as structured
   * calendars.
   */
  private static int hour(String id) {
    ScheduleCalendarSpec calendar = describe(id).getSchedule().getSpec().getCalendars().getFirst();
    return calendar.getHour().getFirst().getStart();
  }

  private static ScheduleDescription describe(String id) {
    return temporal.schedules().getHandle(id).describe();
  }

  private static boolean exists(String id) {
    return temporal.scheduleExists(id);
  }

  private static void awaitListed(String id) {
    Rows.awaitVisibility("schedule " + id + " listed by the visibility store")
        .until(
            () -> temporal.schedules().listSchedules().anyMatch(s -> s.getScheduleId().equals(id)));
  }
}
