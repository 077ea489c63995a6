package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proof that the dev stack is the real thing: every assertion goes through the real server or
 * database.
 */
@ExtendWith(DevStackExtension.class)
class DevStackIT {
  private static WorkflowServiceStubs stubs;
  private static WorkerFactory workers;

  @BeforeAll
  static void startWorker(StackEndpoints stack) {
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    workers = WorkerFactory.newInstance(client("default"));
    var worker = workers.newWorker(GreetingWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(GreetingWorkflow.Impl.class);
    worker.registerActivitiesImplementations(new GreetingWorkflow.GreetingsImpl());
    workers.start();
  }

  @AfterAll
  static void stopWorker() {
    workers.shutdownNow();
    stubs.shutdownNow();
  }

  private static WorkflowClient client(String namespace) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  @Test
  void workflowWithActivityRunsEndToEndOnAWorker() {
    GreetingWorkflow workflow =
        client("default")
            .newWorkflowStub(
                GreetingWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(GreetingWorkflow.TASK_QUEUE)
                    .setWorkflowId("devstack-it-" + UUID.randomUUID())
                    .build());

    String result = workflow.greet("platform");

    assertThat(result).isEqualTo("Hello, platform from pid " + ProcessHandle.current().pid());
  }

  @Test
  void scheduleCreatedThroughTheSdkFiresAndItsWorkflowRuns() {
    ScheduleClient schedules =
        ScheduleClient.newInstance(
            stubs, ScheduleClientOptions.newBuilder().setNamespace("default").build());
    String scheduleId = "devstack-it-" + UUID.randomUUID();
    ScheduleHandle handle =
        schedules.createSchedule(
            scheduleId,
            Schedule.newBuilder()
                .setAction(
                    ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(GreetingWorkflow.class)
                        .setArguments("schedule")
                        .setOptions(
                            WorkflowOptions.newBuilder()
                                .setTaskQueue(GreetingWorkflow.TASK_QUEUE)
                                .setWorkflowId(scheduleId + "-run")
                                .build())
                        .build())
                .setSpec(
                    ScheduleSpec.newBuilder()
                        .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(2))))
                        .build())
                .build(),
            ScheduleOptions.newBuilder().build());
    try {
      String firstRun = awaitFirstAction(handle, Duration.ofMinutes(2));
      String result =
          client("default")
              .newUntypedWorkflowStub(firstRun)
              .getResult(20, java.util.concurrent.TimeUnit.SECONDS, String.class);
      assertThat(firstRun).startsWith(scheduleId + "-run-");
      assertThat(result).startsWith("Hello, schedule");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the scheduled workflow did not complete", e);
    } finally {
      handle.delete();
    }
    assertThat(schedules.listSchedules().map(s -> s.getScheduleId())).doesNotContain(scheduleId);
  }

  private static String awaitFirstAction(ScheduleHandle handle, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      var actions = handle.describe().getInfo().getRecentActions();
      if (!actions.isEmpty()) {
        return ((ScheduleActionExecutionStartWorkflow) actions.getFirst().getAction())
            .getWorkflowId();
      }
      ManagedProcess.sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("schedule " + handle.getId() + " did not fire within " + timeout);
  }

  @Test
  void platformNamespacesExistWithTheirRetention() {
    for (NamespaceSpec ns : Namespaces.ALL) {
      var described =
          stubs
              .blockingStub()
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace(ns.name()).build());
      assertThat(described.getConfig().getWorkflowExecutionRetentionTtl().getSeconds())
          .as("retention of namespace %s", ns.name())
          .isEqualTo(ns.retention().toSeconds());
    }
    assertThat(Namespaces.ALL)
        .extracting(NamespaceSpec::name)
        .contains("default", "orders", "pipelines");
  }

  @Test
  void registeringAgainCorrectsARetentionChangedOutsideAndLeavesTheRestAlone() {
    // Someone shortened the pipelines namespace's retention by hand: ensure() must put the
    // platform's back.
    stubs
        .blockingStub()
        .updateNamespace(
            io.temporal.api.workflowservice.v1.UpdateNamespaceRequest.newBuilder()
                .setNamespace("pipelines")
                .setConfig(
                    io.temporal.api.namespace.v1.NamespaceConfig.newBuilder()
                        .setWorkflowExecutionRetentionTtl(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(Duration.ofDays(2).toSeconds())))
                .build());
    assertThat(retentionSeconds("pipelines")).isEqualTo(Duration.ofDays(2).toSeconds());

    new NamespaceRegistrar(stubs).ensure(Namespaces.ALL, Duration.ofSeconds(10));

    for (NamespaceSpec ns : Namespaces.ALL) {
      assertThat(retentionSeconds(ns.name()))
          .as("retention of %s", ns.name())
          .isEqualTo(ns.retention().toSeconds());
    }
  }

  private static long retentionSeconds(String namespace) {
    return stubs
        .blockingStub()
        .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
        .getConfig()
        .getWorkflowExecutionRetentionTtl()
        .getSeconds();
  }

  @Test
  void serverMetricsEndpointServesTemporalSeries(StackEndpoints stack) throws Exception {
    URI metrics =
        stack
            .serverMetricsUrl()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the stack ("
                            + stack.provider()
                            + ") does not know the server's metrics URL; set TEMPORAL_METRICS_URL"));

    String body = get(metrics);

    assertThat(body.lines().filter(l -> l.startsWith("temporal_")))
        .as("temporal_-prefixed series served by %s", metrics)
        .isNotEmpty();
  }

  @Test
  void webUiListsThePlatformNamespaces(StackEndpoints stack) throws Exception {
    URI ui =
        stack
            .uiUrl()
            .orElseThrow(
                () -> new AssertionError("the stack (" + stack.provider() + ") has no Web UI URL"));

    String body = get(ui.resolve("/api/v1/namespaces"));

    for (NamespaceSpec ns : Namespaces.ALL) {
      assertThat(body).contains("\"" + ns.name() + "\"");
    }
  }

  @Test
  void postgresHoldsTemporalDatabasesOwnedByANonSuperuser(StackEndpoints stack) throws Exception {
    try (Connection c = stack.postgres().connect("postgres");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select d.datname, r.rolname, r.rolsuper from pg_database d join pg_roles r on r.oid = d.datdba "
                        + "where d.datname in ('temporal', 'temporal_visibility') order by 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("temporal");
      assertThat(rs.getBoolean(3)).as("owner of temporal is a superuser").isFalse();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("temporal_visibility");
      assertThat(rs.getBoolean(3)).as("owner of temporal_visibility is a superuser").isFalse();
    }
  }

  private static String get(URI uri) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
    return response.body();
  }
}
