package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.junit.SecureDevStackExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DEVSTACK_AUTH} on the real server: its default JWT claim mapper and default authorizer,
 * the tokens minted by the stack ({@code permissions: ["<namespace>:<role>"]}). Every call below
 * carries the stack's client certificate (mutual TLS is on too), so what refuses it is the
 * authorizer: no token, a forged or expired token, a namespace the token does not name, a role too
 * small for the call. The server's own system workers, which start a Schedule's runs, reach it
 * through the internal frontend and need no token.
 */
@ExtendWith(SecureDevStackExtension.class)
class AuthorizationIT {
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final String TASK_QUEUE = "authz-it-" + RUN;
  private static final String ORDERS = Namespaces.ORDERS.name();
  private static final String PIPELINES = Namespaces.PIPELINES.name();
  private static final Duration CALL = Duration.ofSeconds(10);

  private static StackEndpoints stack;
  private static final List<WorkflowServiceStubs> opened = new ArrayList<>();
  private static WorkerFactory workers;
  private static WorkflowClient ordersWriter;
  private static String parkedId;

  @BeforeAll
  static void startAWorkerAndAParkedWorkflow(StackEndpoints endpoints) {
    stack = endpoints;
    // The worker's own credential: write (poll, complete, answer queries) in orders only.
    ordersWriter = client(stubs("authz-it-worker", List.of(ORDERS + ":write")), ORDERS);
    workers = WorkerFactory.newInstance(ordersWriter);
    workers.newWorker(TASK_QUEUE).registerWorkflowImplementationTypes(ParkedWorkflow.Impl.class);
    workers.start();
    parkedId = "authz-it-parked-" + RUN;
    WorkflowClient.start(
        ordersWriter.newWorkflowStub(
                ParkedWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowId(parkedId)
                    .build())
            ::park);
  }

  @AfterAll
  static void stop() {
    if (ordersWriter != null) {
      ordersWriter.newWorkflowStub(ParkedWorkflow.class, parkedId).release("the test's end");
    }
    if (workers != null) {
      workers.shutdownNow();
    }
    opened.forEach(WorkflowServiceStubs::shutdownNow);
  }

  @Test
  void withoutATokenEveryCallIsRefused() {
    WorkflowServiceGrpc.WorkflowServiceBlockingStub anonymous =
        blocking(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.temporalAddress())
                .setSslContext(
                    StackEndpoints.sslContext(
                        stack.tls().orElseThrow(),
                        stack.tls().orElseThrow().client("authz-it-anonymous"))));

    assertDenied(() -> anonymous.describeNamespace(describeNamespace(ORDERS)));
    assertDenied(() -> anonymous.listWorkflowExecutions(list(ORDERS)));
    assertDenied(() -> anonymous.startWorkflowExecution(start(ORDERS, "authz-it-anon-" + RUN)));
  }

  @Test
  void aForgedOrExpiredTokenIsRefused(@TempDir Path otherIssuer) {
    try (StackAuth forger = StackAuth.start(otherIssuer)) {
      // Same claims, signed with a key the server's JWKS does not hold.
      String forged = forger.token("authz-it-forger", List.of(StackAuth.SYSTEM_ADMIN));
      assertRefusedToken(() -> withToken(forged).describeNamespace(describeNamespace(ORDERS)));
    }
    String expired =
        stack
            .auth()
            .orElseThrow()
            .token("authz-it-late", List.of(StackAuth.SYSTEM_ADMIN), Duration.ofHours(-1));
    assertRefusedToken(() -> withToken(expired).describeNamespace(describeNamespace(ORDERS)));
  }

  @Test
  void anOrdersWriterCannotStartOrReadInPipelines() {
    WorkflowServiceGrpc.WorkflowServiceBlockingStub writer =
        blocking("authz-it-orders-writer", List.of(ORDERS + ":write"));

    assertDenied(() -> writer.startWorkflowExecution(start(PIPELINES, "authz-it-w-" + RUN)));
    assertDenied(() -> writer.listWorkflowExecutions(list(PIPELINES)));
    assertDenied(() -> writer.describeNamespace(describeNamespace(PIPELINES)));
    assertDenied(() -> writer.describeWorkflowExecution(describe(PIPELINES, "authz-it-anything")));

    // The control: the same token starts, reads and terminates in its own namespace.
    String id = "authz-it-w-" + RUN;
    assertThat(writer.startWorkflowExecution(start(ORDERS, id)).getRunId()).isNotEmpty();
    assertThat(writer.describeWorkflowExecution(describe(ORDERS, id)).getWorkflowExecutionInfo())
        .isNotNull();
    writer.terminateWorkflowExecution(
        TerminateWorkflowExecutionRequest.newBuilder()
            .setNamespace(ORDERS)
            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
            .setReason("authorization test control")
            .build());
  }

  @Test
  void anOrdersReaderCanQueryListAndDescribeButCannotSignalOrStart() throws Exception {
    WorkflowServiceGrpc.WorkflowServiceBlockingStub reader =
        blocking("authz-it-orders-reader", List.of(ORDERS + ":read"));

    var answer =
        reader.queryWorkflow(
            QueryWorkflowRequest.newBuilder()
                .setNamespace(ORDERS)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(parkedId))
                .setQuery(WorkflowQuery.newBuilder().setQueryType("state"))
                .build());
    assertThat(
            DefaultDataConverter.newDefaultInstance()
                .fromPayloads(0, Optional.of(answer.getQueryResult()), String.class, String.class))
        .isEqualTo("parked");
    // Visibility follows the start by a moment.
    Awaitility.await("the parked workflow in the reader's listing")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(reader.listWorkflowExecutions(list(ORDERS)).getExecutionsList())
                    .anySatisfy(
                        e -> assertThat(e.getExecution().getWorkflowId()).isEqualTo(parkedId)));
    assertThat(
            reader
                .describeWorkflowExecution(describe(ORDERS, parkedId))
                .getWorkflowExecutionInfo()
                .getType()
                .getName())
        .isEqualTo("ParkedWorkflow");

    assertDenied(
        () ->
            reader.signalWorkflowExecution(
                SignalWorkflowExecutionRequest.newBuilder()
                    .setNamespace(ORDERS)
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(parkedId))
                    .setSignalName("release")
                    .setIdentity("authz-it-orders-reader")
                    .setRequestId(UUID.randomUUID().toString())
                    .build()));
    assertDenied(() -> reader.startWorkflowExecution(start(ORDERS, "authz-it-r-" + RUN)));
    assertDenied(() -> reader.listWorkflowExecutions(list(PIPELINES)));
    assertThat(
            reader
                .describeWorkflowExecution(describe(ORDERS, parkedId))
                .getWorkflowExecutionInfo()
                .getStatus())
        .as("the signal did not get through")
        .isEqualTo(
            io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  @Test
  void aSystemAdminTokenWorksInEveryNamespace() {
    WorkflowServiceGrpc.WorkflowServiceBlockingStub admin =
        blocking("authz-it-admin", List.of(StackAuth.SYSTEM_ADMIN));
    String id = "authz-it-admin-" + RUN;

    assertThat(admin.startWorkflowExecution(start(PIPELINES, id)).getRunId()).isNotEmpty();
    assertThat(admin.listWorkflowExecutions(list(PIPELINES)).getExecutionsList()).isNotNull();
    assertThat(admin.describeNamespace(describeNamespace(ORDERS)).getNamespaceInfo().getName())
        .isEqualTo(ORDERS);
    admin.terminateWorkflowExecution(
        TerminateWorkflowExecutionRequest.newBuilder()
            .setNamespace(PIPELINES)
            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
            .setReason("authorization test")
            .build());
  }

  /**
   * A Schedule's runs are started by the server's worker service, not by the caller: they only
   * happen when the system workers reach the frontend API (through the internal frontend).
   */
  @Test
  void theServersSystemWorkersStillStartAScheduledRun() {
    ScheduleClient schedules =
        ScheduleClient.newInstance(
            ordersWriter.getWorkflowServiceStubs(),
            ScheduleClientOptions.newBuilder().setNamespace(ORDERS).build());
    String scheduleId = "authz-it-schedule-" + RUN;
    ScheduleHandle handle =
        schedules.createSchedule(
            scheduleId,
            Schedule.newBuilder()
                .setAction(
                    ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(ParkedWorkflow.class)
                        .setOptions(
                            WorkflowOptions.newBuilder()
                                .setWorkflowId("authz-it-scheduled-" + RUN)
                                .setTaskQueue(TASK_QUEUE)
                                .setWorkflowRunTimeout(Duration.ofMinutes(1))
                                .build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().build())
                .build(),
            ScheduleOptions.newBuilder().setTriggerImmediately(true).build());
    try {
      Awaitility.await("the scheduled run, started by the server's system workers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !handle.describe().getInfo().getRecentActions().isEmpty());
      var action = handle.describe().getInfo().getRecentActions().get(0).getAction();
      assertThat(action).isInstanceOf(ScheduleActionExecutionStartWorkflow.class);
      String runId = ((ScheduleActionExecutionStartWorkflow) action).getWorkflowId();
      assertThat(runId).startsWith("authz-it-scheduled-" + RUN);
      ordersWriter.newUntypedWorkflowStub(runId).terminate("authorization test done");
    } finally {
      handle.delete();
    }
  }

  private static void assertDenied(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  /** A token the claim mapper rejects: refused, whichever of the two codes the server uses. */
  private static void assertRefusedToken(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isIn(Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED));
  }

  private static WorkflowServiceStubs stubs(String client, List<String> permissions) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            stack.serviceStubsOptions(client, permissions).build());
    opened.add(stubs);
    return stubs;
  }

  private static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  private static WorkflowServiceGrpc.WorkflowServiceBlockingStub blocking(
      String client, List<String> permissions) {
    return stubs(client, permissions)
        .blockingStub()
        .withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static WorkflowServiceGrpc.WorkflowServiceBlockingStub blocking(
      WorkflowServiceStubsOptions.Builder options) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    opened.add(stubs);
    return stubs.blockingStub().withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static WorkflowServiceGrpc.WorkflowServiceBlockingStub withToken(String token) {
    StackTls tls = stack.tls().orElseThrow();
    return blocking(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(stack.temporalAddress())
            .setSslContext(StackEndpoints.sslContext(tls, tls.client("authz-it-token")))
            .addApiKey(() -> token));
  }

  private static DescribeNamespaceRequest describeNamespace(String namespace) {
    return DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build();
  }

  private static ListWorkflowExecutionsRequest list(String namespace) {
    return ListWorkflowExecutionsRequest.newBuilder()
        .setNamespace(namespace)
        .setPageSize(100)
        .build();
  }

  private static DescribeWorkflowExecutionRequest describe(String namespace, String workflowId) {
    return DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
        .build();
  }

  private static StartWorkflowExecutionRequest start(String namespace, String workflowId) {
    return StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowId(workflowId)
        .setWorkflowType(WorkflowType.newBuilder().setName("ParkedWorkflow"))
        .setTaskQueue(TaskQueue.newBuilder().setName("authz-it-nobody-polls-" + RUN))
        .setRequestId(UUID.randomUUID().toString())
        .setIdentity("authz-it")
        .build();
  }
}
