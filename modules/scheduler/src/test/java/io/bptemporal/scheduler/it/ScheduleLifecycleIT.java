package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.scheduler.plan.FieldChange;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.PlanPrinter;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Create, update (cron, input, policy), pause/unpause, disable and delete, against the real server.
 */
@ExtendWith(DevStackExtension.class)
class ScheduleLifecycleIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;
  private final ScheduleCallCounter counter = new ScheduleCallCounter();

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_lifecycle");
    temporal = new TemporalFixture(stack, "sched-it-lifecycle");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  private ScheduleReconciler reconciler() {
    return temporal.reconciler(db, counter, Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity());
  }

  @Test
  void everyKindOfChangeReachesTheSchedule() {
    String id = "lifecycle-export";
    db.registry.put(
        Rows.probe(
            id,
            temporal.namespace,
            """
        {"cron": ["0 2 * * *"], "time_zone": "Europe/Berlin"}"""));
    ScheduleReconciler reconciler = reconciler();

    PassResult created = reconciler.apply();
    assertThat(created.applied()).singleElement().isInstanceOf(Step.Create.class);
    ScheduleDescription schedule = describe(id);
    assertThat(schedule.getSchedule().getSpec().getTimeZoneName()).isEqualTo("Europe/Berlin");
    assertThat(schedule.getMemo("bp-managed-by", String.class)).isEqualTo("bp-temporal-scheduler");
    assertThat(db.status(id).status()).isEqualTo(ReconcileStatus.OK);
    assertThat(reconciler.plan().changes()).as("nothing left to do after the create").isEmpty();

    db.sql(
        "update activity_definition set trigger = jsonb_set(trigger, '{cron}', '[\"0 3 * * *\"]') where activity_id = '"
            + id
            + "'");
    Plan cronPlan = reconciler.plan();
    PlanPrinter.print(cronPlan, System.out);
    assertThat(updateFields(cronPlan))
        .containsExactly(
            new FieldChange("trigger.cron", "[\"0 2 * * *\"]", "[\"0 3 * * *\"]", false));
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(reconciler.plan().changes()).isEmpty();

    db.sql(
        "update activity_definition set input = '{\"greeting\": \"moin\"}' where activity_id = '"
            + id
            + "'");
    assertThat(updateFields(reconciler.plan()))
        .extracting(FieldChange::path)
        .containsExactly("input");
    reconciler.apply();
    ScheduleActionStartWorkflow action =
        (ScheduleActionStartWorkflow) describe(id).getSchedule().getAction();
    assertThat(action.getArguments().get(0, JsonNode.class).path("greeting").asText())
        .isEqualTo("moin");

    db.sql(
        "update activity_definition set overlap_policy = 'BUFFER_ONE', missed_run_policy = 'SKIP' where activity_id = '"
            + id
            + "'");
    assertThat(updateFields(reconciler.plan()))
        .extracting(FieldChange::path)
        .contains(
            "policies.overlap",
            "policies.missed_run",
            "temporal.overlap",
            "temporal.catchup_window");
    reconciler.apply();
    var policy = describe(id).getSchedule().getPolicy();
    assertThat(policy.getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(policy.getCatchupWindow()).hasSeconds(10);

    db.sql("update activity_definition set paused = true where activity_id = '" + id + "'");
    Plan pausePlan = reconciler.plan();
    assertThat(pausePlan.changes())
        .as("plan after paused = true:%n%s", String.join("\n", PlanPrinter.lines(pausePlan)))
        .singleElement()
        .isInstanceOf(Step.Pause.class);
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Pause.class);
    assertThat(describe(id).getSchedule().getState().isPaused()).isTrue();
    db.sql("update activity_definition set paused = false where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Unpause.class);
    assertThat(describe(id).getSchedule().getState().isPaused()).isFalse();

    db.sql("update activity_definition set enabled = false where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Delete.class);
    assertThat(exists(id)).isFalse();
    assertThat(db.status(id).message()).isEqualTo("disabled: no Schedule");

    db.sql("update activity_definition set enabled = true where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Create.class);
    // A deleted row leaves no status behind, so the pass finds its schedule through the listing
    // only; wait until
    // the visibility store lists the re-created schedule (a row deleted before that is cleaned up
    // by a later
    // pass, see docs/scheduler.md).
    awaitListed(id);
    db.sql("delete from activity_definition where activity_id = '" + id + "'");
    assertThat(reconciler.apply().applied()).singleElement().isInstanceOf(Step.Delete.class);
    assertThat(exists(id)).isFalse();
    System.out.println("schedule calls of this test: " + counter.snapshot());
  }

  private static List<FieldChange> updateFields(Plan plan) {
    assertThat(plan.changes()).singleElement().isInstanceOf(Step.Update.class);
    return ((Step.Update) plan.changes().getFirst()).changes();
  }

  private static ScheduleDescription describe(String id) {
    return temporal.schedules().getHandle(id).describe();
  }

  private static void awaitListed(String id) {
    Rows.awaitVisibility("schedule " + id + " listed by the visibility store")
        .until(
            () -> temporal.schedules().listSchedules().anyMatch(s -> s.getScheduleId().equals(id)));
  }

  private static boolean exists(String id) {
    return temporal.scheduleExists(id);
  }
}
