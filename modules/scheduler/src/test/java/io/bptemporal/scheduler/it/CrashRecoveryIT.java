package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.ScheduleOwnership;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.client.schedules.ScheduleListDescription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scheduler killed in the middle of an apply (after some schedules were created, then after some
 * were updated) and started again converges: every row has exactly one schedule with the row's
 * spec, no pass fails on what the dead one left behind, and the drift is 0.
 */
@ExtendWith(DevStackExtension.class)
class CrashRecoveryIT {
  private static final int ROWS = 30;
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_crash");
    temporal = new TemporalFixture(stack, "sched-it-crash");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  private static ScheduleReconciler crashingAfter(int writes) {
    AtomicInteger left = new AtomicInteger(writes);
    return temporal.reconciler(
        db,
        new ScheduleCallCounter(),
        Set.of(Rows.PROBE_WORKFLOW),
        client -> new CrashingScheduleClient(client, left));
  }

  private static ScheduleReconciler restarted() {
    return temporal.reconciler(
        db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity());
  }

  @Test
  void killedInTheMiddleOfAnApplyAndStartedAgainConverges() throws Exception {
    for (int i = 1; i <= ROWS; i++) {
      db.registry.put(
          Rows.probe("crash-" + i, temporal.namespace, "{\"cron\": [\"" + i + " 1 1 1 *\"]}"));
    }
    assertThatThrownBy(() -> crashingAfter(12).apply())
        .isInstanceOf(CrashingScheduleClient.Crash.class);
    long created =
        java.util.stream.IntStream.rangeClosed(1, ROWS).filter(i -> exists("crash-" + i)).count();
    // Writes run concurrently and the kill interrupts the calls still in flight, as a real kill
    // would: of the 12 writes that passed the gate, those that reached the server exist.
    System.out.println("schedules the killed pass left behind: " + created + " of " + ROWS);
    assertThat(created).as("schedules the killed pass created").isBetween(0L, 12L);
    assertConverges(restarted().apply());

    db.sql(
        "update activity_definition set trigger = jsonb_set(trigger, '{cron}', '[\"59 23 31 12 *\"]')");
    assertThatThrownBy(() -> crashingAfter(9).apply())
        .isInstanceOf(CrashingScheduleClient.Crash.class);
    assertConverges(restarted().apply());
  }

  @Test
  void aScheduleTheListingDoesNotShowYetIsNotCreatedTwice() {
    db.registry.put(Rows.probe("listed-late", temporal.namespace, "{\"cron\": [\"0 9 1 1 *\"]}"));
    restarted().apply();
    db.sql(
        "update activity_schedule_status set spec_hash = null where activity_id = 'listed-late'");

    // As if the visibility store had not caught up and the status write of that pass had been lost.
    ScheduleCallCounter counter = new ScheduleCallCounter();
    PassResult pass =
        temporal
            .reconciler(
                db,
                counter,
                Set.of(Rows.PROBE_WORKFLOW),
                client -> new HidingScheduleClient(client, "listed-late"))
            .apply();

    assertThat(pass.failed()).isEmpty();
    assertThat(counter.count("CreateSchedule"))
        .as("it tried to create, learned the schedule exists")
        .isEqualTo(1);
    assertThat(counter.count("UpdateSchedule")).as("and found it already matches the row").isZero();
    assertThat(db.status("listed-late").status()).isEqualTo(ReconcileStatus.OK);
  }

  private static void assertConverges(PassResult pass) {
    System.out.println("pass after the restart: " + pass.summary());
    assertThat(pass.failed())
        .as("nothing the killed pass left behind makes a change fail")
        .isEmpty();
    assertThat(pass.drift()).isZero();
    assertThat(restarted().plan().changes()).as("a plan right after: nothing left to do").isEmpty();
    assertThat(db.statuses().values()).allMatch(s -> s.status() == ReconcileStatus.OK);

    Map<String, String> desiredHashes =
        db.registry.rows().stream()
            .collect(
                Collectors.toMap(
                    r -> r.activityId(),
                    r ->
                        DesiredSchedule.of(Rows.definition(r.toDefinitionDocument().toString()))
                            .orElseThrow()
                            .specHash()));
    // The listing may be a moment behind the last pass: wait until it shows every schedule's
    // current notes.
    Awaitility.await("the listing shows every schedule's current notes")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(owned())
                    .as("exactly one schedule per row, each carrying its row's spec")
                    .isEqualTo(desiredHashes));
  }

  private static boolean exists(String id) {
    return temporal.scheduleExists(id);
  }

  /** Managed schedules of the namespace: schedule ID to the spec hash in its notes. */
  private static Map<String, String> owned() {
    List<ScheduleListDescription> all = temporal.schedules().listSchedules(null, 1000).toList();
    assertThat(all.stream().map(ScheduleListDescription::getScheduleId).distinct().count())
        .as("schedule IDs are unique")
        .isEqualTo(all.size());
    return all.stream()
        .filter(
            s ->
                "bp-temporal-scheduler"
                    .equals(s.getMemo(ScheduleOwnership.MEMO_MANAGED_BY, String.class)))
        .collect(
            Collectors.toMap(
                ScheduleListDescription::getScheduleId,
                s ->
                    ScheduleOwnership.specHashInNotes(s.getSchedule().getState().getNote())
                        .orElse("(none)")));
  }
}
