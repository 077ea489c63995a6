package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.scheduler.compress.MissedRunCompressor;
import io.bptemporal.scheduler.compress.TriggerTimes;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * COMPRESS: due times without a run are folded into one RunActivityWorkflow run, scheduled for the
 * last of them and told the window. The outage is made by moving the schedule's "written at" back
 * one minute: to the compressor that minute looks exactly like an outage (due times, no runs),
 * while the schedule itself keeps firing afterwards.
 */
@ExtendWith(DevStackExtension.class)
class CompressIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;
  private static WorkerFactory workers;
  private static WorkflowClient client;

  /**
   * Stands in for the pipeline worker's RunActivityWorkflow: what it was handed is read from
   * history.
   */
  public static class RunActivityStandIn implements RunActivityWorkflow {
    @Override
    public RunActivityResult run(RunActivityRequest request) {
      return new RunActivityResult(
          request.activityId(),
          Workflow.getInfo().getWorkflowId(),
          1,
          "sha256:" + "0".repeat(64),
          List.of());
    }
  }

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_compress");
    temporal = new TemporalFixture(stack, Namespaces.PIPELINES);
    client =
        WorkflowClient.newInstance(
            temporal.stubs(),
            WorkflowClientOptions.newBuilder().setNamespace(RunActivityWorkflow.NAMESPACE).build());
    workers = WorkerFactory.newInstance(client);
    workers
        .newWorker(RunActivityWorkflow.TASK_QUEUE)
        .registerWorkflowImplementationTypes(RunActivityStandIn.class);
    workers.start();
  }

  @AfterAll
  static void stop() {
    workers.shutdownNow();
    temporal.close();
    db.close();
  }

  @Test
  void missedRunsBecomeOneRunForTheLastOfThemWithTheWindow() throws Exception {
    String id = "compress-every-2s";
    db.registry.put(
        Rows.definition(
            """
        {"activity_id": "%s", "version": 1, "namespace": "pipelines", "workflow_type": "RunActivityWorkflow",
         "task_queue": "activities-tq", "trigger": {"intervals": [{"every": "2s"}]},
         "policies": {"missed_run": "COMPRESS", "catch_up_window": "10m", "overlap": "ALLOW_ALL"},
         "owner": "team-scheduler-it"}"""
                .formatted(id)));
    ScheduleCallCounter counter = new ScheduleCallCounter();
    ScheduleReconciler reconciler =
        temporal.reconciler(
            db,
            counter,
            Set.of(RunActivityWorkflow.NAMESPACE),
            Set.of(RunActivityWorkflow.WORKFLOW_TYPE),
            UnaryOperator.identity(),
            List.of(new MissedRunCompressor(temporal.connection, counter, Duration.ofSeconds(1))));
    try {
      reconciler.apply();
      Instant created = db.status(id).scheduleWrittenAt().orElseThrow();
      Instant outageStart = created.minusSeconds(60);
      db.sql(
          "update activity_schedule_status set schedule_written_at = '"
              + Timestamp.from(outageStart)
              + "'::timestamp at time zone current_setting('TimeZone') where activity_id = '"
              + id
              + "'");
      // The outage counts as over once a later due time ran, is older than the server's 10 s
      // catch-up window plus
      // the settle time, and its run is visible: passes before that compress nothing (a check
      // before that would cut
      // the outage in two). How long that takes depends on the machine's load, so passes run until
      // one compresses.
      AtomicInteger compressed = new AtomicInteger();
      await("a pass compresses the outage")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> compressed.addAndGet(reconciler.apply().compressedRuns()) > 0);
      assertThat(compressed.get()).as("one compressed run for the whole outage").isEqualTo(1);
      Instant checked = db.status(id).missedRunsCheckedThrough().orElseThrow();
      // Missed: every due time after the start of the "outage" and before the schedule's first real
      // run.
      Instant firstRun = firstScheduledRun(id);
      List<Instant> due =
          TriggerTimes.between(
              Rows.definition(
                      """
          {"activity_id": "x", "version": 1, "namespace": "pipelines", "workflow_type": "RunActivityWorkflow",
           "task_queue": "activities-tq", "trigger": {"intervals": [{"every": "2s"}]}, "owner": "o"}""")
                  .trigger(),
              outageStart,
              firstRun.minusSeconds(1),
              10_000);
      Instant last = due.getLast();
      String runId = WorkflowIds.scheduledRun(id, last);
      client.newUntypedWorkflowStub(runId).getResult(RunActivityResult.class);

      RunActivityRequest request = startInput(runId);
      System.out.println("compressed run " + runId + " got " + request);
      assertThat(request.scheduledFor()).contains(last);
      assertThat(request.compressedWindow())
          .hasValueSatisfying(
              window -> {
                assertThat(window.missedFrom()).isEqualTo(due.getFirst());
                assertThat(window.missedTo()).isEqualTo(last);
                assertThat(window.missedCount()).isEqualTo(due.size());
              });
      assertThat(checked).isAfterOrEqualTo(last);

      assertThat(reconciler.apply().compressedRuns())
          .as("the same outage is not compressed twice")
          .isZero();
    } finally {
      db.sql("delete from activity_definition where activity_id = '" + id + "'");
      reconciler.apply();
    }
  }

  private static Instant firstScheduledRun(String id) {
    return temporal
        .stubs()
        .blockingStub()
        .listWorkflowExecutions(
            ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace(RunActivityWorkflow.NAMESPACE)
                .setQuery("TemporalScheduledById = '" + id + "'")
                .build())
        .getExecutionsList()
        .stream()
        .map(
            info ->
                WorkflowIds.parseScheduledRun(info.getExecution().getWorkflowId())
                    .orElseThrow()
                    .scheduledFor())
        .min(Instant::compareTo)
        .orElseThrow(() -> new AssertionError("the schedule has not run yet"));
  }

  private static RunActivityRequest startInput(String workflowId) {
    HistoryEvent first = client.fetchHistory(workflowId).getHistory().getEvents(0);
    var payloads = first.getWorkflowExecutionStartedEventAttributes().getInput();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
        0, java.util.Optional.of(payloads), RunActivityRequest.class, RunActivityRequest.class);
  }
}
