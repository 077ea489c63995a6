package io.bptemporal.activity.runactivity;

import static io.bptemporal.activity.TestDatabases.count;
import static io.bptemporal.activity.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.TestDatabases;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.devstack.junit.RecordedHistories;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RunActivity on the dev stack: the real Temporal server (and its Schedules), the scheduler's
 * registry table read by a read-only role, the activity database's task instances, outbox and
 * audit.
 */
@ExtendWith(DevStackExtension.class)
class RunActivityIT {
  private static final String TASK_QUEUE = "run-activity-it-" + UUID.randomUUID();
  private static final String EXPORT_RULES =
      """
      {"target": "warehouse", "tasks": [{"kind": "export.partition", "for_each": "facts.regions",
        "payload": {"region": "${item}", "from": "${run.window.from}", "to": "${run.window.to}"}}]}""";

  private static HikariDataSource db;
  private static RegistryFixture registry;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient client;
  private static WorkerFactory workers;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = TestDatabases.activityDatabase(stack, "activity_ra_it");
    registry = new RegistryFixture(stack, "registry_ra_it");
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace(Namespaces.PIPELINES.name())
                .setDataConverter(ContractDataConverter.instance())
                .build());
    workers = WorkerFactory.newInstance(client);
    var worker = workers.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(), RunActivityWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new RunActivityActivitiesImpl(
            new RegistryDefinitionSource(registry.reader, registry.url()),
            new DefinitionArchive(db),
            new RunLedger(db)));
    workers.start();
  }

  @AfterAll
  static void stop() {
    workers.shutdownNow();
    stubs.shutdownNow();
    registry.close();
    db.close();
  }

  private static RunActivityResult run(String workflowId, RunActivityRequest request) {
    return client
        .newWorkflowStub(
            RunActivityWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(1))
                .build())
        .run(request);
  }

  private record AuditRow(
      String runId, String contextHash, String outcome, int tasksCreated, String taskKeys) {}

  private static List<AuditRow> audit(String runKey) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select run_id, context_hash,"
                    + " outcome, coalesce(tasks_created, 0), task_keys::text from activity_run where run_key = ? order by started_at")) {
      ps.setString(1, runKey);
      List<AuditRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new AuditRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5)));
        }
      }
      return rows;
    }
  }

  @Test
  void runningTheSameScheduledTimeTwiceGivesTheSameTasksOnceAndTwoAuditRows() throws Exception {
    registry.put("nightly-export", EXPORT_RULES, false);
    execute(
        db,
        "insert into activity_context_fact values ('nightly-export', 'regions', '[\"eu\", \"us\"]') "
            + "on conflict (activity_id, name) do update set value = excluded.value");
    Instant at = Instant.parse("2026-11-21T02:00:00Z");
    String id = "nightly-export:2026-11-21T02:00:00Z";

    RunActivityResult first = run(id, RunActivityRequest.scheduled("nightly-export", at));
    RunActivityResult second = run(id, RunActivityRequest.scheduled("nightly-export", at));

    assertThat(first.taskKeys())
        .containsExactly(id + "/export.partition/0", id + "/export.partition/1");
    assertThat(second.taskKeys()).isEqualTo(first.taskKeys());
    assertThat(second.contextHash()).isEqualTo(first.contextHash()).startsWith("sha256:");
    assertThat(first.definitionVersion()).isEqualTo(1);
    assertThat(count(db, "select count(*) from task_instance where run_key = '" + id + "'"))
        .isEqualTo(2);
    assertThat(
            count(
                db,
                "select count(*) from task_instance where run_key = '"
                    + id
                    + "' and status = 'PENDING'"
                    + " and payload = '{\"region\": \"us\", \"from\": \"2026-11-21T02:00:00Z\", \"to\": \"2026-11-21T02:00:00Z\"}'"))
        .isEqualTo(1);
    assertThat(
            count(
                db,
                "select count(*) from task_outbox o join task_instance t using (task_key) where t.run_key = '"
                    + id
                    + "' and o.event_type = 'task.created' and o.envelope ->> 'type' = 'task.created'"
                    + " and o.envelope -> 'payload' ->> 'task_key' = o.task_key"))
        .as("one TaskCreated event per task")
        .isEqualTo(2);
    List<AuditRow> audit = audit(id);
    assertThat(audit).hasSize(2);
    assertThat(audit.get(0).runId()).isNotEqualTo(audit.get(1).runId());
    assertThat(audit).extracting(AuditRow::tasksCreated).containsExactly(2, 0);
    assertThat(audit).extracting(AuditRow::outcome).containsOnly("TASKS_CREATED");
    assertThat(audit).extracting(AuditRow::contextHash).containsOnly(first.contextHash());
  }

  @Test
  void aChangedFactChangesTheContextHashAndAddsOnlyTheNewTask() throws Exception {
    registry.put("regional-report", EXPORT_RULES, false);
    execute(
        db, "insert into activity_context_fact values ('regional-report', 'regions', '[\"eu\"]')");
    String id = "regional-report:2026-11-22T02:00:00Z";
    RunActivityResult before =
        run(
            id,
            RunActivityRequest.scheduled("regional-report", Instant.parse("2026-11-22T02:00:00Z")));
    execute(
        db,
        "update activity_context_fact set value = '[\"eu\", \"apac\"]' where activity_id = 'regional-report'");

    RunActivityResult after =
        run(
            id,
            RunActivityRequest.scheduled("regional-report", Instant.parse("2026-11-22T02:00:00Z")));

    assertThat(after.contextHash()).isNotEqualTo(before.contextHash());
    assertThat(after.taskKeys())
        .containsExactly(id + "/export.partition/0", id + "/export.partition/1");
    assertThat(audit(id)).extracting(AuditRow::tasksCreated).containsExactly(1, 1);
  }

  @Test
  void aCompressedRunCoversItsWholeWindowAndIsAuditedWithIt() throws Exception {
    registry.put(
        "hourly-cleanup",
        """
        {"kind": "cleanup.expired"}""",
        false);
    Instant last = Instant.parse("2026-11-21T05:05:00Z");
    CompressedWindow window = new CompressedWindow(Instant.parse("2026-11-21T02:05:00Z"), last, 4);

    RunActivityResult result =
        run(
            "hourly-cleanup:2026-11-21T05:05:00Z",
            new RunActivityRequest(
                "hourly-cleanup",
                Optional.of(last),
                Optional.empty(),
                Optional.of(window),
                Optional.empty()));

    assertThat(result.taskKeys())
        .containsExactly("hourly-cleanup:2026-11-21T05:05:00Z/cleanup.expired/0");
    assertThat(
            count(
                db,
                "select count(*) from task_instance where run_key = 'hourly-cleanup:2026-11-21T05:05:00Z'"
                    + " and payload -> 'window' = '{\"from\": \"2026-11-21T02:05:00Z\", \"to\": \"2026-11-21T05:05:00Z\","
                    + " \"missed_count\": 4, \"compressed\": true}'::jsonb"))
        .isEqualTo(1);
    assertThat(
            count(
                db,
                "select count(*) from activity_run where run_key = 'hourly-cleanup:2026-11-21T05:05:00Z'"
                    + " and compressed_window ->> 'missed_count' = '4'"))
        .isEqualTo(1);
  }

  @Test
  void aRevisionIsRunFromTheArchiveAfterTheRegistryMovedOn() throws Exception {
    registry.put("versioned-job", "{\"kind\": \"job.v1\"}", false);
    run(
        "versioned-job:2026-11-21T01:00:00Z",
        RunActivityRequest.scheduled("versioned-job", Instant.parse("2026-11-21T01:00:00Z")));
    registry.sql(
        "update activity_definition set input = '{\"kind\": \"job.v2\"}' where activity_id = 'versioned-job'");

    RunActivityResult old =
        run(
            "versioned-job:2026-11-21T03:00:00Z",
            new RunActivityRequest(
                "versioned-job",
                Optional.of(Instant.parse("2026-11-21T03:00:00Z")),
                Optional.empty(),
                Optional.empty(),
                Optional.of(1L)));
    RunActivityResult current =
        run(
            "versioned-job:2026-11-21T04:00:00Z",
            RunActivityRequest.scheduled("versioned-job", Instant.parse("2026-11-21T04:00:00Z")));

    assertThat(old.definitionVersion()).isEqualTo(1);
    assertThat(old.taskKeys()).singleElement().asString().endsWith("/job.v1/0");
    assertThat(current.definitionVersion())
        .as("the registry's trigger raised the version")
        .isEqualTo(2);
    assertThat(current.taskKeys()).singleElement().asString().endsWith("/job.v2/0");
    assertThatThrownBy(
            () ->
                run(
                    "versioned-job:2026-11-21T05:00:00Z",
                    new RunActivityRequest(
                        "versioned-job",
                        Optional.of(Instant.parse("2026-11-21T05:00:00Z")),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(7L))))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("DEFINITION_REVISION_NOT_FOUND");
              assertThat(f.getOriginalMessage())
                  .contains(
                      "revision 7 of activity 'versioned-job' is not available: the"
                          + " registry has revision 2, and runs have used revisions [1, 2]");
            });
  }

  @Test
  void aPausedRowsRunCreatesNoTasksAndIsAuditedAsSkipped() throws Exception {
    registry.put("paused-job", "{}", true);

    RunActivityResult result =
        run(
            "paused-job:2026-11-21T01:00:00Z",
            RunActivityRequest.scheduled("paused-job", Instant.parse("2026-11-21T01:00:00Z")));

    assertThat(result.taskKeys()).isEmpty();
    assertThat(audit("paused-job:2026-11-21T01:00:00Z"))
        .singleElement()
        .satisfies(row -> assertThat(row.outcome()).isEqualTo("SKIPPED_DISABLED"));
    assertThat(count(db, "select count(*) from task_instance where activity_id = 'paused-job'"))
        .isZero();
  }

  @Test
  void anActivityMissingFromTheRegistryFailsAtOnce() {
    assertThatThrownBy(
            () ->
                run(
                    "no-such-activity:2026-11-21T01:00:00Z",
                    RunActivityRequest.scheduled(
                        "no-such-activity", Instant.parse("2026-11-21T01:00:00Z"))))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining(
            "activity 'no-such-activity' is not in the activity registry at " + registry.url());
  }

  @Test
  void aTemporalScheduleRunTakesItsTimeFromTheScheduleAndMeetsTheSameTasks() throws Exception {
    registry.put("scheduled-export", EXPORT_RULES, false);
    execute(
        db, "insert into activity_context_fact values ('scheduled-export', 'regions', '[\"eu\"]')");
    Instant at = Instant.parse("2026-11-21T02:00:00Z");
    RunActivityResult direct =
        run(
            "scheduled-export:2026-11-21T02:00:00Z",
            RunActivityRequest.scheduled("scheduled-export", at));
    ScheduleClient schedules =
        ScheduleClient.newInstance(
            stubs,
            ScheduleClientOptions.newBuilder().setNamespace(Namespaces.PIPELINES.name()).build());
    // As the scheduler writes it: action ID = activity_id, fixed input naming the activity, paused
    // so that only
    // the backfill (one nominal time, exactly 02:00:00) starts a run.
    ScheduleHandle handle =
        schedules.createSchedule(
            "scheduled-export-it-" + UUID.randomUUID(),
            Schedule.newBuilder()
                .setAction(
                    ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(RunActivityWorkflow.class)
                        .setArguments(
                            new RunActivityRequest(
                                "scheduled-export",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))
                        .setOptions(
                            WorkflowOptions.newBuilder()
                                .setWorkflowId("scheduled-export")
                                .setTaskQueue(TASK_QUEUE)
                                .build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 2 * * *")).build())
                .setState(ScheduleState.newBuilder().setPaused(true).build())
                .build(),
            ScheduleOptions.newBuilder().build());
    try {
      handle.backfill(
          List.of(
              new ScheduleBackfill(
                  at.minusSeconds(1),
                  at.plusSeconds(1),
                  ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL)));
      RunActivityResult scheduled =
          awaitResult("scheduled-export-2026-11-21T02:00:00Z", Duration.ofSeconds(30));

      assertThat(scheduled.runKey()).isEqualTo("scheduled-export:2026-11-21T02:00:00Z");
      assertThat(scheduled.taskKeys()).isEqualTo(direct.taskKeys());
      assertThat(audit("scheduled-export:2026-11-21T02:00:00Z"))
          .extracting(AuditRow::tasksCreated)
          .containsExactly(1, 0);
      RecordedHistories.record(
          client, "scheduled-export-2026-11-21T02:00:00Z", "schedule-triggered");
    } finally {
      handle.delete();
    }
  }

  /**
   * Waits (at most {@code timeout}) until the schedule has started the run, then for the run's
   * result.
   */
  private static RunActivityResult awaitResult(String workflowId, Duration timeout) {
    Awaitility.await("the schedule started run " + workflowId)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .ignoreException(io.temporal.client.WorkflowNotFoundException.class) // not started yet
        .until(() -> client.newUntypedWorkflowStub(workflowId).describe() != null);
    return client.newUntypedWorkflowStub(workflowId).getResult(RunActivityResult.class);
  }
}
