package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schedules the scheduler does not own - made by hand, owned by someone else, or merely carrying
 * notes that look like ours - survive every kind of pass: creates, updates, deletes, a registry
 * emptied completely, and a row that asks for the ID of one of them.
 */
@ExtendWith(DevStackExtension.class)
class OwnershipIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_ownership");
    temporal = new TemporalFixture(stack, "sched-it-ownership");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  @Test
  void schedulesItDoesNotOwnAreNeverTouched() {
    createUnowned("hand-made-report", Map.of(), "made by hand in the Web UI");
    createUnowned("owned-by-someone-else", Map.of("bp-managed-by", "another-tool"), "");
    // Notes can be copied; the memo cannot be added after creation, so only the memo counts.
    createUnowned(
        "notes-look-like-ours",
        Map.of(),
        "managed by bp-temporal-scheduler from registry row"
            + " notes-look-like-ours; spec sha256:"
            + "a".repeat(64));
    List<String> unowned =
        List.of("hand-made-report", "owned-by-someone-else", "notes-look-like-ours");
    Map<String, String> before = new LinkedHashMap<>();
    unowned.forEach(id -> before.put(id, snapshot(id)));

    ScheduleReconciler reconciler =
        temporal.reconciler(
            db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity());
    List<Runnable> edits =
        List.of(
            () ->
                db.registry.put(
                    Rows.probe("own-a", temporal.namespace, "{\"cron\": [\"0 1 * * *\"]}")),
            () ->
                db.registry.put(
                    Rows.probe("own-b", temporal.namespace, "{\"cron\": [\"0 2 * * *\"]}")),
            () ->
                db.sql(
                    "update activity_definition set trigger = '{\"cron\": [\"0 4 * * *\"]}' where activity_id = 'own-a'"),
            () ->
                db.sql("update activity_definition set paused = true where activity_id = 'own-b'"),
            () -> db.sql("delete from activity_definition where activity_id = 'own-a'"),
            () ->
                db.registry.put(
                    Rows.probe(
                        "hand-made-report", temporal.namespace, "{\"cron\": [\"0 3 * * *\"]}")),
            () -> db.sql("delete from activity_definition"));
    for (Runnable edit : edits) {
      edit.run();
      PassResult pass = reconciler.apply();
      assertThat(pass.applied())
          .extracting(Step::key)
          .noneMatch(key -> unowned.stream().anyMatch(id -> key.endsWith("/" + id)));
      unowned.forEach(
          id -> assertThat(snapshot(id)).as(id + " after a pass").isEqualTo(before.get(id)));
      if (db.registry.rows().stream().anyMatch(r -> r.activityId().equals("hand-made-report"))) {
        assertThat(db.status("hand-made-report").status()).isEqualTo(ReconcileStatus.INVALID);
        assertThat(db.status("hand-made-report").message())
            .contains("is not managed by bp-temporal-scheduler");
      }
    }
    assertThat(reconciler.plan().changes())
        .as("the registry is empty and only unowned schedules are left")
        .isEmpty();
    // The deletes are done; the listing shows them once the visibility store has caught up.
    Rows.awaitVisibility("only the unowned schedules listed")
        .untilAsserted(
            () ->
                assertThat(
                        temporal
                            .schedules()
                            .listSchedules(null, 100)
                            .map(s -> s.getScheduleId())
                            .toList())
                    .containsExactlyInAnyOrderElementsOf(unowned));
  }

  private static void createUnowned(String id, Map<String, Object> memo, String notes) {
    temporal
        .schedules()
        .createSchedule(
            id,
            Schedule.newBuilder()
                .setAction(
                    ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType("HandMadeReport")
                        .setOptions(
                            WorkflowOptions.newBuilder()
                                .setWorkflowId(id)
                                .setTaskQueue("reports-tq")
                                .build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 6 1 1 *")).build())
                .setState(ScheduleState.newBuilder().setNote(notes).build())
                .build(),
            ScheduleOptions.newBuilder().setMemo(memo).build());
  }

  /** Everything of a schedule a pass could change, and when it last changed. */
  private static String snapshot(String id) {
    ScheduleDescription d = temporal.schedules().getHandle(id).describe();
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) d.getSchedule().getAction();
    return d.getSchedule().getSpec()
        + " | "
        + d.getSchedule().getPolicy()
        + " | "
        + d.getSchedule().getState()
        + " | "
        + action.getWorkflowType()
        + " "
        + action.getOptions().getWorkflowId()
        + " "
        + action.getOptions().getTaskQueue()
        + " | memo "
        + d.getMemo("bp-managed-by", String.class)
        + " | updated "
        + d.getInfo().getLastUpdatedAt();
  }
}
