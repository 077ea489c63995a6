package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.registry.store.RowStatus;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.PlanPrinter;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 50 rows, each broken in its own way, next to good rows: every bad row gets an INVALID status
 * whose message names the row, the field path, the column and what is accepted; the good rows are
 * applied in the same pass.
 */
@ExtendWith(DevStackExtension.class)
class InvalidRowsIT {
  private static final String GHOST = "sched-it-ghost";
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  /** One bad row: how it differs from a good one, and the path its status must name. */
  private record Bad(String id, Map<String, String> columns, String path, String column) {}

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_invalid");
    temporal = new TemporalFixture(stack, "sched-it-invalid");
  }

  @BeforeEach
  void emptyRegistry() {
    db.sql("truncate activity_definition cascade");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  private static ScheduleReconciler reconciler() {
    // Manages the test namespace and one that was never registered on the server.
    return temporal.reconciler(
        db,
        new ScheduleCallCounter(),
        Set.of(temporal.namespace, GHOST),
        Set.of(
            Rows.PROBE_WORKFLOW,
            DataPipelineWorkflow.WORKFLOW_TYPE,
            RunActivityWorkflow.WORKFLOW_TYPE),
        UnaryOperator.identity());
  }

  private static List<Bad> badRows() {
    List<Bad> bad = new ArrayList<>();
    cron(bad, "cron-hour-24", "[\"0 24 * * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-minute-60", "[\"60 * * * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-day-of-week-8", "[\"0 0 * * 8\"]", "$.trigger.cron[0]");
    cron(bad, "cron-month-13", "[\"0 0 1 13 *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-day-32", "[\"0 0 32 * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-six-fields", "[\"0 0 2 * * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-every", "[\"@every 5m\"]", "$.trigger.cron[0]");
    cron(bad, "cron-tz-prefix", "[\"CRON_TZ=UTC 0 2 * * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-quartz", "[\"0 2 ? * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-unknown-macro", "[\"@fortnightly\"]", "$.trigger.cron[0]");
    cron(bad, "cron-step-zero", "[\"*/0 * * * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-range-backwards", "[\"0 5-2 * * *\"]", "$.trigger.cron[0]");
    cron(bad, "cron-second-entry", "[\"0 2 * * *\", \"0 25 * * *\"]", "$.trigger.cron[1]");
    trigger(
        bad,
        "tz-unknown",
        "{\"cron\": [\"0 2 * * *\"], \"time_zone\": \"Mars/Olympus\"}",
        "$.trigger.time_zone");
    trigger(
        bad,
        "tz-fixed-offset",
        "{\"cron\": [\"0 2 * * *\"], \"time_zone\": \"+02:00\"}",
        "$.trigger.time_zone");
    trigger(
        bad,
        "tz-wrong-case",
        "{\"cron\": [\"0 2 * * *\"], \"time_zone\": \"europe/berlin\"}",
        "$.trigger.time_zone");
    trigger(
        bad,
        "interval-zero",
        "{\"intervals\": [{\"every\": \"0s\"}]}",
        "$.trigger.intervals[0].every");
    trigger(
        bad,
        "interval-offset-too-big",
        "{\"intervals\": [{\"every\": \"1h\", \"offset\": \"1h\"}]}",
        "$.trigger.intervals[0].offset");
    trigger(
        bad,
        "interval-iso-8601",
        "{\"intervals\": [{\"every\": \"PT1H\"}]}",
        "$.trigger.intervals[0].every");
    trigger(
        bad,
        "calendar-hour-25",
        "{\"calendars\": [{\"hour\": \"25\"}]}",
        "$.trigger.calendars[0].hour");
    trigger(
        bad,
        "calendar-day-name",
        "{\"calendars\": [{\"day_of_week\": \"FUNDAY\"}]}",
        "$.trigger.calendars[0].day_of_week");
    trigger(bad, "trigger-nothing-due", "{}", "$.trigger");
    trigger(bad, "trigger-field-typo", "{\"crons\": [\"0 2 * * *\"]}", "$.trigger.crons");
    trigger(bad, "trigger-not-an-object", "[]", "$.trigger");
    trigger(
        bad,
        "end-before-start",
        "{\"cron\": [\"0 2 * * *\"], \"start_at\": \"2027-01-01T00:00:00Z\","
            + " \"end_at\": \"2026-01-01T00:00:00Z\"}",
        "$.trigger.end_at");
    trigger(
        bad,
        "start-without-offset",
        "{\"cron\": [\"0 2 * * *\"], \"start_at\": \"2026-01-01T00:00:00\"}",
        "$.trigger.start_at");
    trigger(
        bad,
        "jitter-in-days",
        "{\"cron\": [\"0 2 * * *\"], \"jitter\": \"1d\"}",
        "$.trigger.jitter");
    trigger(
        bad,
        "event-type-format",
        "{\"event_types\": [\"Order Placed\"]}",
        "$.trigger.event_types[0]");
    bad.add(
        new Bad(
            "overlap-never",
            Map.of("overlap_policy", "'NEVER'"),
            "$.policies.overlap",
            "overlap_policy"));
    bad.add(
        new Bad(
            "missed-run-replay",
            Map.of("missed_run_policy", "'REPLAY'"),
            "$.policies.missed_run",
            "missed_run_policy"));
    bad.add(
        new Bad(
            "catch-up-iso-8601",
            Map.of("catch_up_window", "'PT1H'"),
            "$.policies.catch_up_window",
            "catch_up_window"));
    bad.add(
        new Bad(
            "catch-up-too-short",
            Map.of("catch_up_window", "'5s'"),
            "$.policies.catch_up_window",
            "catch_up_window"));
    bad.add(
        new Bad(
            "compress-needs-run-activity",
            Map.of("missed_run_policy", "'COMPRESS'"),
            "$.policies.missed_run",
            "missed_run_policy"));
    bad.add(
        new Bad(
            "namespace-not-managed", Map.of("namespace", "'orders'"), "$.namespace", "namespace"));
    bad.add(
        new Bad(
            "namespace-not-on-server",
            Map.of("namespace", "'" + GHOST + "'"),
            "$.namespace",
            "namespace"));
    bad.add(
        new Bad(
            "namespace-format", Map.of("namespace", "'Pipelines_NS'"), "$.namespace", "namespace"));
    bad.add(
        new Bad(
            "workflow-type-unknown",
            Map.of("workflow_type", "'UnknownWorkflow'"),
            "$.workflow_type",
            "workflow_type"));
    bad.add(
        new Bad(
            "workflow-type-format",
            Map.of("workflow_type", "'9Workflow'"),
            "$.workflow_type",
            "workflow_type"));
    bad.add(
        new Bad(
            "task-queue-format",
            Map.of("task_queue", "'Pipelines TQ'"),
            "$.task_queue",
            "task_queue"));
    bad.add(
        new Bad(
            "pipeline-elsewhere",
            Map.of(
                "workflow_type",
                "'DataPipelineWorkflow'",
                "input",
                "'{\"pipeline_id\": \"p1\", \"source\": {\"type\": \"CSV\", \"location\": \"/in.csv\"}, \"target_table\": \"t\","
                    + " \"natural_key\": [\"id\"], \"rule_set\": \"r1\"}'"),
            "$.namespace",
            "namespace"));
    bad.add(
        new Bad(
            "run-activity-wrong-queue",
            Map.of("workflow_type", "'RunActivityWorkflow'", "namespace", "'pipelines'"),
            "$.task_queue",
            "task_queue"));
    bad.add(
        new Bad(
            "pipeline-input-incomplete",
            Map.of(
                "workflow_type", "'DataPipelineWorkflow'", "input", "'{\"pipeline_id\": \"p1\"}'"),
            "$.input",
            "input"));
    bad.add(new Bad("input-not-an-object", Map.of("input", "'[1, 2]'"), "$.input", "input"));
    // RunActivity's task rules are read at plan time: a rule that cannot work never reaches a
    // Schedule.
    bad.add(
        new Bad(
            "task-rule-unknown-root",
            Map.of(
                "workflow_type",
                "'RunActivityWorkflow'",
                "namespace",
                "'pipelines'",
                "task_queue",
                "'activities-tq'",
                "input",
                "'{\"tasks\": [{\"kind\": \"export.partition\", \"for_each\": \"fact.regions\"}]}'"),
            "$.input.tasks[0].for_each",
            "input"));
    bad.add(
        new Bad(
            "task-rule-bad-kind",
            Map.of(
                "workflow_type",
                "'RunActivityWorkflow'",
                "namespace",
                "'pipelines'",
                "task_queue",
                "'activities-tq'",
                "input",
                "'{\"tasks\": [{\"kind\": \"Export\"}]}'"),
            "$.input.tasks[0].kind",
            "input"));
    bad.add(new Bad("owner-empty", Map.of("owner", "''"), "$.owner", "owner"));
    bad.add(
        new Bad(
            "description-too-long",
            Map.of("description", "repeat('x', 1001)"),
            "$.description",
            "description"));
    bad.add(new Bad("notes-too-long", Map.of("notes", "repeat('n', 4001)"), "$.notes", "notes"));
    bad.add(new Bad("version-zero", Map.of("version", "0"), "$.version", "version"));
    bad.add(
        new Bad(
            "schema-major-2",
            Map.of("schema_version", "'2.0'"),
            "$.schema_version",
            "schema_version"));
    bad.add(new Bad("Nightly Export", Map.of(), "$.activity_id", "activity_id"));
    bad.add(
        new Bad(
            "taken-by-a-hand-made-schedule",
            Map.of(),
            "is not managed by bp-temporal-scheduler",
            "(none)"));
    return bad;
  }

  private static void cron(List<Bad> bad, String id, String cron, String path) {
    trigger(bad, id, "{\"cron\": " + cron + "}", path);
  }

  private static void trigger(List<Bad> bad, String id, String trigger, String path) {
    bad.add(new Bad(id, Map.of("trigger", "'" + trigger + "'"), path, "trigger"));
  }

  @Test
  void fiftyTwoBadRowsGetFiftyTwoPreciseStatusesWhileGoodRowsAreApplied() {
    List<Bad> bad = badRows();
    assertThat(bad).hasSize(52);
    assertThat(bad.stream().map(Bad::id).distinct()).hasSize(52);
    for (Bad row : bad) {
      insert(row.id(), row.columns());
    }
    List<String> good = List.of("good-1", "good-2", "good-3", "good-4", "good-5");
    good.forEach(id -> insert(id, Map.of()));
    // A schedule made by hand (no ownership memo) holds the ID of one of the rows.
    temporal
        .schedules()
        .createSchedule(
            "taken-by-a-hand-made-schedule",
            Schedule.newBuilder()
                .setAction(
                    ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType("HandMade")
                        .setOptions(
                            WorkflowOptions.newBuilder()
                                .setWorkflowId("hand-made")
                                .setTaskQueue("hand-tq")
                                .build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 5 1 1 *")).build())
                .build(),
            ScheduleOptions.newBuilder().build());

    Plan plan = reconciler().plan();
    PlanPrinter.print(plan, System.out);
    PassResult pass = reconciler().apply();

    assertThat(pass.count(Step.Create.class))
        .as("the good rows are applied in the same pass")
        .isEqualTo(good.size());
    assertThat(pass.invalidRows()).isEqualTo(52);
    Map<String, RowStatus> statuses = db.statuses();
    good.forEach(id -> assertThat(statuses.get(id).status()).as(id).isEqualTo(ReconcileStatus.OK));
    Map<String, String> imprecise = new LinkedHashMap<>();
    for (Bad row : bad) {
      RowStatus status = statuses.get(row.id());
      String message = status == null ? "(no status)" : status.message();
      boolean precise =
          status != null
              && status.status() == ReconcileStatus.INVALID
              && message.contains(row.path())
              && (row.column().equals("(none)")
                  || message.contains("(column " + row.column() + ")")
                      && message.contains("accepted: "))
              && (row.column().equals("(none)") || message.contains("row '" + row.id() + "'"));
      if (!precise) {
        imprecise.put(row.id(), message);
      }
    }
    assertThat(imprecise)
        .as("rows whose status does not name path, column and accepted values")
        .isEmpty();
    assertThat(statuses.get("namespace-not-on-server").message())
        .contains("does not exist on the Temporal server");
    assertThat(statuses.get("tz-wrong-case").message()).contains("did you mean Europe/Berlin?");
    assertThat(statuses.get("task-rule-unknown-root").message())
        .contains("task rule path 'fact.regions' starts at 'fact'");
  }

  @Test
  void aRowThatBecomesInvalidKeepsTheScheduleItHad() {
    insert("keeps-its-schedule", Map.of());
    reconciler().apply();
    String notesBefore =
        temporal
            .schedules()
            .getHandle("keeps-its-schedule")
            .describe()
            .getSchedule()
            .getState()
            .getNote();

    db.sql(
        "update activity_definition set trigger = '{\"cron\": [\"0 24 * * *\"]}' where activity_id = 'keeps-its-schedule'");
    PassResult pass = reconciler().apply();

    assertThat(pass.applied()).isEmpty();
    assertThat(db.status("keeps-its-schedule").status()).isEqualTo(ReconcileStatus.INVALID);
    assertThat(
            temporal
                .schedules()
                .getHandle("keeps-its-schedule")
                .describe()
                .getSchedule()
                .getState()
                .getNote())
        .as("the schedule is untouched until the row is fixed")
        .isEqualTo(notesBefore);
  }

  private static void insert(String id, Map<String, String> columns) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("activity_id", "'" + id + "'");
    values.put("namespace", "'" + temporal.namespace + "'");
    values.put("workflow_type", "'" + Rows.PROBE_WORKFLOW + "'");
    values.put("task_queue", "'" + Rows.PROBE_QUEUE + "'");
    values.put("trigger", "'{\"cron\": [\"0 2 * * *\"]}'");
    values.put("owner", "'team-scheduler-it'");
    values.putAll(columns);
    db.sql(
        "insert into activity_definition ("
            + String.join(", ", values.keySet())
            + ") values ("
            + String.join(", ", values.values())
            + ")");
  }
}
