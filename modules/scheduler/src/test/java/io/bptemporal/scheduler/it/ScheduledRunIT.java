package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.naming.ScheduledRun;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schedule the reconciler created fires, and the run completes on a worker with the row's input.
 */
@ExtendWith(DevStackExtension.class)
class ScheduledRunIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;
  private static WorkerFactory workers;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_fires");
    temporal = new TemporalFixture(stack, "sched-it-fires");
    WorkflowClient client =
        WorkflowClient.newInstance(
            temporal.stubs(),
            WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace).build());
    workers = WorkerFactory.newInstance(client);
    workers
        .newWorker(Rows.PROBE_QUEUE)
        .registerWorkflowImplementationTypes(ProbeWorkflow.Impl.class);
    workers.start();
  }

  @AfterAll
  static void stop() {
    workers.shutdownNow();
    temporal.close();
    db.close();
  }

  @Test
  void theScheduleStartsRunsNamedAfterTheActivityAndTheyComplete() throws Exception {
    String id = "fires-every-second";
    db.registry.put(
        Rows.probe(
            id,
            temporal.namespace,
            """
        {"intervals": [{"every": "1s"}]}"""));
    var reconciler =
        temporal.reconciler(
            db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity());
    reconciler.apply();

    WorkflowExecutionInfo run = awaitCompletedRun(id, Duration.ofMinutes(2));
    Optional<ScheduledRun> parsed =
        WorkflowIds.parseScheduledRun(run.getExecution().getWorkflowId());
    assertThat(parsed)
        .as("run ID %s is <activity_id>-<nominal time>", run.getExecution().getWorkflowId())
        .hasValueSatisfying(r -> assertThat(r.activityId()).isEqualTo(id));
    assertThat(run.getExecution().getWorkflowId())
        .matches(id + "-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    JsonNode result =
        WorkflowClient.newInstance(
                temporal.stubs(),
                WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace).build())
            .newUntypedWorkflowStub(run.getExecution().getWorkflowId())
            .getResult(JsonNode.class);
    assertThat(result.path("greeting").asText())
        .as("the row's input reached the run")
        .isEqualTo("hello");
    System.out.println(
        "completed scheduled run " + run.getExecution().getWorkflowId() + " -> " + result);

    db.sql("delete from activity_definition where activity_id = '" + id + "'");
    reconciler.apply();
  }

  private static WorkflowExecutionInfo awaitCompletedRun(String id, Duration timeout) {
    List<WorkflowExecutionInfo> runs =
        Awaitility.await("a completed run of schedule " + id)
            .atMost(timeout)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    temporal
                        .stubs()
                        .blockingStub()
                        .listWorkflowExecutions(
                            ListWorkflowExecutionsRequest.newBuilder()
                                .setNamespace(temporal.namespace)
                                .setQuery(
                                    "TemporalScheduledById = '"
                                        + id
                                        + "' AND ExecutionStatus = 'Completed'")
                                .build())
                        .getExecutionsList(),
                runsSoFar -> !runsSoFar.isEmpty());
    assertThat(runs.getFirst().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    return runs.getFirst();
  }
}
