package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.devstack.junit.DevStackExtension;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dev stack's fault injection used by the fault suite ({@code make faults},
 * docs/reliability.md): the Temporal server SIGKILLed and started again, PostgreSQL stopped and
 * started again on the same data. Each time the stack must not report a crash, and afterwards a
 * workflow must run end to end again (the server reconnected to its database) with the data kept.
 */
@ExtendWith(DevStackExtension.class)
class FaultInjectionIT {
  private static final Duration RECOVERY = Duration.ofMinutes(2);
  private static WorkflowServiceStubs stubs;
  private static WorkerFactory workers;

  @BeforeAll
  static void startWorker(StackEndpoints stack) {
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    workers = WorkerFactory.newInstance(client());
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

  @Test
  void aKilledTemporalServerIsGoneAtOnceAndRunsWorkflowsAgainAfterItsStart(DevStack stack) {
    long before = stack.temporalServerPid();
    ProcessHandle server = ProcessHandle.of(before).orElseThrow();

    stack.killTemporalServer();

    assertThat(server.isAlive()).as("the server process right after the kill").isFalse();
    assertThatThrownBy(stack::killTemporalServer)
        .as("killing a server that is not running")
        .isInstanceOf(IllegalStateException.class);
    stack.startTemporalServer();
    assertThat(stack.temporalServerPid()).as("a new server process").isNotEqualTo(before);
    assertThat(stack.crashed()).as("an injected kill is not a crash").isNotDone();
    assertThat(greetWithin(RECOVERY)).startsWith("Hello, after a fault");
  }

  @Test
  void aRestartedPostgresKeepsItsDataAndTheTemporalServerUsesItAgain(
      DevStack stack, StackEndpoints endpoints) throws Exception {
    PostgresEndpoint postgres = endpoints.postgres();
    String row = UUID.randomUUID().toString();
    postgres.ensureDatabase("faults_it", "faults_it", "pw");
    try (Connection c = postgres.connect("faults_it");
        Statement s = c.createStatement()) {
      s.execute("create table if not exists kept (value text primary key)");
      s.execute("insert into kept values ('" + row + "')");
    }
    long before = stack.postgresPid();

    stack.stopPostgres();
    assertThatThrownBy(() -> postgres.connect("faults_it").close())
        .as("a connection while PostgreSQL is stopped")
        .isInstanceOf(SQLException.class);
    stack.startPostgres();

    assertThat(stack.postgresPid()).as("a new server process").isNotEqualTo(before);
    assertThat(stack.crashed()).as("an injected restart is not a crash").isNotDone();
    try (Connection c = postgres.connect("faults_it");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from kept where value = '" + row + "'")) {
      r.next();
      assertThat(r.getInt(1)).as("the row written before the restart").isEqualTo(1);
    }
    assertThat(greetWithin(RECOVERY)).startsWith("Hello, after a fault");
  }

  /**
   * Starts a greeting workflow and waits for its result; the first attempts may fail while the
   * server reconnects (to the restarted PostgreSQL, or its clients to the restarted server).
   */
  private static String greetWithin(Duration timeout) {
    return Awaitility.await("a workflow completed after the fault")
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                client()
                    .newWorkflowStub(
                        GreetingWorkflow.class,
                        WorkflowOptions.newBuilder()
                            .setTaskQueue(GreetingWorkflow.TASK_QUEUE)
                            .setWorkflowId("devstack-faults-it-" + UUID.randomUUID())
                            .setWorkflowExecutionTimeout(Duration.ofSeconds(30))
                            .build())
                    .greet("after a fault"),
            result -> result != null);
  }

  private static WorkflowClient client() {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }
}
