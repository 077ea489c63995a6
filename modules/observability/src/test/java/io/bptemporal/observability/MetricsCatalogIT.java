package io.bptemporal.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The catalog is true: after the activity each entry describes (workflows completing, failing,
 * being canceled, failing a task, retrying an activity, a failed request and poll, a GC), every
 * sdk/jvm entry is on our /metrics and every server entry on the real server's endpoint, with the
 * catalogued type and labels. On a mismatch the scrape is kept in target/ for the investigation.
 * The platform entries are declared by the processes' own modules; the system tests'
 * PlatformMetricsCatalogTest (tests/), which sees all of them, holds those against the catalog.
 */
@ExtendWith(DevStackExtension.class)
class MetricsCatalogIT {
  private final MetricsCatalog catalog = MetricsCatalog.load();

  @Test
  void everyProcessMetricOfTheCatalogIsOnMetricsWithItsTypeAndLabels(StackEndpoints stack)
      throws Exception {
    try (ObservedWorker worker =
        ObservedWorker.start(stack.temporalAddress(), Map.of("MANAGEMENT_PORT", "0"))) {
      exerciseWorkflows(worker);
      exerciseFailedRequests(worker);
      System.gc(); // jvm_gc_pause_seconds registers at the first collection

      List<MetricsCatalog.Entry> entries = catalog.from("sdk", "jvm");
      List<String> problems = awaitMatch(entries, worker::metrics, Duration.ofMinutes(2));
      if (!problems.isEmpty()) {
        Files.writeString(Path.of("target/process-metrics-catalog-it.txt"), worker.metrics());
      }

      assertThat(problems).as("catalog entries that /metrics does not match").isEmpty();
      // WorkflowMetrics, counted from the "compensate" workflow: the SDK's workflow tags reach the
      // series.
      // The SDK hands its scope to the registry every second: a bound, not a delay.
      Awaitility.await(ObservedWorkflow.COUNTED + " on /metrics")
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> {
                PrometheusText.Family counted =
                    PrometheusText.parse(worker.metrics()).families().get(ObservedWorkflow.COUNTED);
                assertThat(counted).isNotNull();
                assertThat(counted.labelsOnEverySeries())
                    .contains("step", "workflow_type", "namespace", "task_queue", "service");
              });
    }
  }

  @Test
  void everyServerMetricOfTheCatalogIsOnTheTemporalServersEndpoint(StackEndpoints stack)
      throws Exception {
    // The server's endpoint is shared by every test of this JVM; the exercise below makes each
    // catalogued
    // family appear even on a fresh stack. service_errors/persistence_errors are left out of the
    // catalog:
    // the server emits them only for internal errors, which a healthy stack cannot produce on
    // demand.
    URI serverMetrics =
        stack
            .serverMetricsUrl()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the stack ("
                            + stack.provider()
                            + ") does not know the server's metrics URL"));
    try (ObservedWorker worker =
        ObservedWorker.start(stack.temporalAddress(), Map.of("MANAGEMENT_PORT", "0"))) {
      exerciseWorkflows(worker);
      exerciseSchedule(worker);
      exerciseServerErrors(worker);
      exerciseBacklog(worker);
    }
    // A worker that stops cancels its long polls: the matching service counts them.
    List<String> problems =
        awaitMatch(catalog.from("server"), () -> get(serverMetrics), Duration.ofMinutes(2));
    if (!problems.isEmpty()) {
      Files.writeString(Path.of("target/server-metrics-catalog-it.txt"), get(serverMetrics));
    }

    assertThat(problems).as("catalog entries that %s does not match", serverMetrics).isEmpty();
  }

  private static void exerciseServerErrors(ObservedWorker worker) {
    exerciseFailedRequests(worker);
    String id = "catalog-duplicate-" + UUID.randomUUID();
    ObservedWorkflow running = worker.newWorkflow(id);
    WorkflowClient.start(running::run, "wait");
    ObservedWorkflow duplicate = worker.newWorkflow(id);
    assertThatThrownBy(() -> WorkflowClient.start(duplicate::run, "wait"))
        .isInstanceOf(io.temporal.client.WorkflowExecutionAlreadyStarted.class);
    WorkflowStub.fromTyped(running).terminate("catalog test done");
  }

  /** Tasks on a queue nobody polls: matching reports the backlog. */
  private static void exerciseBacklog(ObservedWorker worker) {
    ObservedWorkflow unpolled =
        worker.client.newWorkflowStub(
            ObservedWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue("catalog-unpolled-" + UUID.randomUUID())
                .setWorkflowId("catalog-backlog-" + UUID.randomUUID())
                .build());
    WorkflowClient.start(unpolled::run, "ok");
    try {
      // A fixed window: the backlog must exist long enough for matching to report it; there is
      // nothing to poll.
      Thread.sleep(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    WorkflowStub.fromTyped(unpolled).terminate("catalog test done");
  }

  private static void exerciseWorkflows(ObservedWorker worker) {
    worker.newWorkflow("catalog-ok-" + UUID.randomUUID()).run("ok");
    worker.newWorkflow("catalog-retry-" + UUID.randomUUID()).run("retry-activity");
    worker.newWorkflow("catalog-compensate-" + UUID.randomUUID()).run("compensate");
    assertThatThrownBy(
            () -> worker.newWorkflow("catalog-fail-" + UUID.randomUUID()).run("fail-workflow"))
        .isInstanceOf(WorkflowFailedException.class);

    ObservedWorkflow waiting = worker.newWorkflow("catalog-cancel-" + UUID.randomUUID());
    WorkflowClient.start(waiting::run, "wait");
    WorkflowStub.fromTyped(waiting).cancel();
    assertThatThrownBy(
            () -> WorkflowStub.fromTyped(waiting).getResult(ObservedWorkflow.Observed.class))
        .isInstanceOf(WorkflowFailedException.class);

    // A workflow task that throws keeps failing until the workflow is terminated.
    ObservedWorkflow failingTask =
        worker.client.newWorkflowStub(
            ObservedWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(worker.taskQueue)
                .setWorkflowId("catalog-task-" + UUID.randomUUID())
                .build());
    WorkflowClient.start(failingTask::run, "fail-task");
    TelemetryIT.await(
        "temporal_workflow_task_execution_failed_total on /metrics",
        Duration.ofMinutes(2),
        () ->
            worker.metrics().contains("temporal_workflow_task_execution_failed_total{")
                ? true
                : null);
    WorkflowStub.fromTyped(failingTask).terminate("catalog test done");
  }

  private static void exerciseFailedRequests(ObservedWorker worker) {
    assertThatThrownBy(
            () ->
                worker
                    .stubs
                    .blockingStub()
                    .describeWorkflowExecution(
                        DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(ObservedWorker.NAMESPACE)
                            .setExecution(
                                WorkflowExecution.newBuilder()
                                    .setWorkflowId("no-such-workflow-" + UUID.randomUUID()))
                            .build()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThatThrownBy(
            () ->
                worker
                    .stubs
                    .blockingStub()
                    .pollActivityTaskQueue(
                        PollActivityTaskQueueRequest.newBuilder()
                            .setNamespace("no-such-namespace")
                            .setTaskQueue(TaskQueue.newBuilder().setName(worker.taskQueue))
                            .build()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  private static void exerciseSchedule(ObservedWorker worker) {
    ScheduleClient schedules =
        ScheduleClient.newInstance(
            worker.stubs,
            ScheduleClientOptions.newBuilder().setNamespace(ObservedWorker.NAMESPACE).build());
    String id = "catalog-schedule-" + UUID.randomUUID();
    ScheduleHandle handle =
        schedules.createSchedule(
            id,
            Schedule.newBuilder()
                .setAction(
                    ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(ObservedWorkflow.class)
                        .setArguments("ok")
                        .setOptions(
                            WorkflowOptions.newBuilder()
                                .setTaskQueue(worker.taskQueue)
                                .setWorkflowId(id + "-run")
                                .build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().build())
                .build(),
            ScheduleOptions.newBuilder().build());
    try {
      handle.trigger();
      TelemetryIT.await(
          "a recent action of schedule " + id + " after its trigger",
          Duration.ofMinutes(2),
          () -> handle.describe().getInfo().getRecentActions().isEmpty() ? null : true);
    } finally {
      handle.delete();
    }
  }

  private static List<String> awaitMatch(
      List<MetricsCatalog.Entry> entries,
      java.util.function.Supplier<String> scrape,
      Duration timeout) {
    // The caller asserts on the mismatches left (and keeps the scrape), so a timeout answers the
    // last ones seen.
    java.util.concurrent.atomic.AtomicReference<List<String>> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      return Awaitility.await("every catalog entry matched")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                last.set(MetricsCatalog.mismatches(entries, PrometheusText.parse(scrape.get())));
                return last.get();
              },
              List::isEmpty);
    } catch (ConditionTimeoutException e) {
      return last.get() != null
          ? last.get()
          : List.of("no scrape finished within " + timeout + ": " + e.getMessage());
    }
  }

  private static String get(URI uri) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
      return response.body();
    } catch (java.io.IOException e) {
      throw new AssertionError("GET " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
