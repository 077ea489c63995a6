package io.bptemporal.activity.worker;

import static io.bptemporal.activity.TestDatabases.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.TestDatabases;
import io.bptemporal.activity.runactivity.RegistryFixture;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The activity worker as an OS process, configured as make run and the chart configure it: its own
 * activity database, the registry through a role the scheduler's grants made read-only. It runs
 * RunActivity on its task queue, and the very credentials it was given cannot change the registry.
 */
@ExtendWith(DevStackExtension.class)
class ActivityWorkerIT {
  private static final String TASK_QUEUE = "activity-worker-it-" + UUID.randomUUID();
  private static final String DATABASE = "activity_worker_it";
  private static final String RELAY = "activity_worker_it_relay";

  private static StackEndpoints stack;
  private static HikariDataSource db;
  private static RegistryFixture registry;

  @BeforeAll
  static void databases(StackEndpoints endpoints) {
    stack = endpoints;
    db = TestDatabases.activityDatabase(stack, DATABASE);
    registry = new RegistryFixture(stack, "registry_aw_it");
    stack.postgres().ensureLoginRole(RELAY, "pw");
  }

  @AfterAll
  static void close() {
    registry.close();
    db.close();
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("TEMPORAL_NAMESPACE", Namespaces.PIPELINES.name());
    env.put("TEMPORAL_TASK_QUEUE", TASK_QUEUE);
    env.put("DB_URL", stack.postgres().jdbcUrl(DATABASE));
    env.put("DB_USER", DATABASE);
    env.put("DB_PASSWORD", TestDatabases.PASSWORD);
    env.put("REGISTRY_DB_URL", registry.url());
    env.put("REGISTRY_DB_USER", RegistryFixture.READER);
    env.put("REGISTRY_DB_PASSWORD", "pw");
    env.put("SHUTDOWN_GRACE_SECONDS", "5");
    env.put("OUTBOX_RELAY_ROLES", RELAY);
    return env;
  }

  @Test
  void runsRunActivityOnItsQueueAndStopsCleanly() throws Exception {
    registry.put("worker-it-export", "{\"kind\": \"export\", \"tasks\": 2}", false);
    try (WorkerProcess worker = start("activity-worker", environment())) {
      worker.awaitReady(Duration.ofSeconds(90));
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
      try {
        WorkflowClient client =
            WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                    .setNamespace(Namespaces.PIPELINES.name())
                    .setDataConverter(ContractDataConverter.instance())
                    .build());
        String id = "worker-it-export:2026-11-21T02:00:00Z";
        RunActivityResult result =
            client
                .newWorkflowStub(
                    RunActivityWorkflow.class,
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue(TASK_QUEUE)
                        .setWorkflowExecutionTimeout(Duration.ofMinutes(1))
                        .build())
                .run(
                    RunActivityRequest.scheduled(
                        "worker-it-export", Instant.parse("2026-11-21T02:00:00Z")));

        assertThat(result.taskKeys()).containsExactly(id + "/export/0", id + "/export/1");
        assertThat(
                count(
                    db,
                    "select count(*) from task_outbox o join task_instance t using (task_key) where"
                        + " t.run_key = '"
                        + id
                        + "' and o.envelope ->> 'source' = 'bp/activity-worker'"))
            .isEqualTo(2);
        assertThat(count(db, "select count(*) from activity_run where run_key = '" + id + "'"))
            .isEqualTo(1);

        // OUTBOX_RELAY_ROLES: after its migration the worker granted the relay's role exactly
        // SELECT on task_outbox and UPDATE of published_at.
        assertThat(
                count(
                    db,
                    "select count(*) where has_table_privilege('"
                        + RELAY
                        + "', 'task_outbox', 'SELECT') and has_column_privilege('"
                        + RELAY
                        + "', 'task_outbox', 'published_at', 'UPDATE') and not"
                        + " has_column_privilege('"
                        + RELAY
                        + "', 'task_outbox', 'envelope', 'UPDATE') and not has_table_privilege('"
                        + RELAY
                        + "', 'task_outbox', 'INSERT, DELETE') and not has_table_privilege('"
                        + RELAY
                        + "', 'task_instance', 'SELECT')"))
            .isEqualTo(1);

        // SubjectEventsWorkflow is registered too: signalled with start, it runs the event.
        String eventId = UUID.randomUUID().toString();
        String subjectId = WorkflowIds.subjectEvents("worker-it-export", "order/o-" + eventId);
        client
            .newUntypedWorkflowStub(
                SubjectEventsWorkflow.WORKFLOW_TYPE,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(subjectId)
                    .setTaskQueue(TASK_QUEUE)
                    .build())
            .signalWithStart(
                SubjectEventsWorkflow.EVENT_SIGNAL,
                new Object[] {
                  EventEnvelope.of(
                          eventId,
                          "order.paid",
                          "bp/activity-worker-it",
                          Instant.parse("2026-11-21T08:15:30Z"),
                          JsonNodeFactory.instance.objectNode())
                      .withSubject("order/o-" + eventId)
                },
                new Object[] {
                  SubjectEventsRequest.of("worker-it-export", "order/o-" + eventId)
                      .withIdleTimeout(Duration.ofSeconds(1))
                });
        SubjectEventsState subject =
            client
                .newUntypedWorkflowStub(subjectId)
                .getResult(60, TimeUnit.SECONDS, SubjectEventsState.class);
        assertThat(subject.lastEventIds()).containsExactly(eventId);
        assertThat(
                count(
                    db,
                    "select count(*) from task_instance where run_key = '"
                        + WorkflowIds.eventRun("worker-it-export", eventId)
                        + "'"))
            .isEqualTo(2);
      } finally {
        stubs.shutdownNow();
      }
      assertThat(worker.terminate(Duration.ofSeconds(30))).as("exit status after SIGTERM").isZero();
    }
  }

  @Test
  void theWorkersRegistryCredentialsCannotChangeTheRegistry() throws SQLException {
    registry.put("worker-it-readonly", "{}", false);
    Map<String, String> env = environment();
    try (Connection c =
            DriverManager.getConnection(
                env.get("REGISTRY_DB_URL"),
                env.get("REGISTRY_DB_USER"),
                env.get("REGISTRY_DB_PASSWORD"));
        Statement s = c.createStatement()) {
      s.execute("select count(*) from activity_definition");
      for (String write :
          List.of(
              "update activity_definition set paused = true where activity_id = 'worker-it-readonly'",
              "delete from activity_definition where activity_id = 'worker-it-readonly'",
              "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger, owner)"
                  + " values ('worker-it-forged', 'pipelines', 'RunActivityWorkflow', 'activities-tq', '{}'::jsonb, 'x')",
              "insert into activity_schedule_status (activity_id, status, definition_version)"
                  + " values ('worker-it-readonly', 'OK', 1)",
              "truncate activity_definition cascade")) {
        assertThat(sqlState(s, write)).as(write).isEqualTo("42501");
      }
    }
    try (Connection owner = stack.postgres().connect("registry_aw_it");
        Statement s = owner.createStatement()) {
      assertThat(
              sqlState(
                  s,
                  "select 1 from activity_definition where activity_id = 'worker-it-readonly'"
                      + " and not paused"))
          .isNull();
    }
  }

  @Test
  void withoutRegistryCredentialsItRefusesToStartAndNamesEachVariable() throws Exception {
    Map<String, String> env = environment();
    env.remove("REGISTRY_DB_URL");
    env.remove("REGISTRY_DB_USER");
    env.remove("REGISTRY_DB_PASSWORD");
    try (WorkerProcess worker = start("activity-worker-unconfigured", env)) {
      assertThat(worker.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(2);
      // The output is copied to the log by a thread of its own: wait until it holds what the
      // process wrote.
      Awaitility.await("the configuration report")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(String.join("\n", worker.lines()))
                      .contains(
                          "REGISTRY_DB_URL is not set",
                          "REGISTRY_DB_USER is not set",
                          "REGISTRY_DB_PASSWORD is not set"));
    }
  }

  /**
   * The activity worker in its own JVM from the test classpath, as the image starts it, by the
   * shared launcher.
   */
  private static WorkerProcess start(String name, Map<String, String> env) {
    Path log =
        Path.of("target/worker-logs")
            .toAbsolutePath()
            .resolve(name + "-" + UUID.randomUUID() + ".log");
    return WorkerProcess.start(
        name,
        WorkerProcess.testClasspathCommand(ActivityWorkerMain.class.getName(), List.of("-Xmx512m")),
        env,
        log);
  }

  /** Runs one statement; null when it succeeded, else its SQLSTATE. */
  private static String sqlState(Statement s, String sql) {
    try {
      s.execute(sql);
      return null;
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
