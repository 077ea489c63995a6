package io.bptemporal.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.contracts.ordersaga.OrderActivities;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.runactivity.RunActivityActivities;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.common.metadata.WorkflowMethodType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The names a client in another language uses to start, signal, query and implement these
 * workflows, as the Temporal SDK derives them from the interfaces — the table in docs/contracts.md.
 */
class WorkflowInterfacesTest {

  @Test
  void orderSagaNames() {
    assertThat(names(OrderSagaWorkflow.class))
        .isEqualTo(
            Map.of(
                "OrderSagaWorkflow", WorkflowMethodType.WORKFLOW,
                "cancel", WorkflowMethodType.SIGNAL,
                "status", WorkflowMethodType.QUERY));
    assertThat(activityNames(OrderActivities.class))
        .containsExactlyInAnyOrder(
            "CreateOrder",
            "ChargePayment",
            "ReserveInventory",
            "SendConfirmation",
            "RefundPayment",
            "ReleaseInventory",
            "CancelOrder");
    assertThat(OrderSagaWorkflow.NAMESPACE).isEqualTo(Namespaces.ORDERS.name());
    assertThat(OrderSagaWorkflow.TASK_QUEUE).isEqualTo(TaskQueues.ORDERS);
  }

  @Test
  void dataPipelineNames() {
    assertThat(names(DataPipelineWorkflow.class))
        .isEqualTo(
            Map.of(
                "DataPipelineWorkflow", WorkflowMethodType.WORKFLOW,
                "progress", WorkflowMethodType.QUERY));
    assertThat(activityNames(DataPipelineActivities.class))
        .containsExactlyInAnyOrder("PlanPartitions", "LoadPartition");
    assertThat(DataPipelineWorkflow.NAMESPACE).isEqualTo(Namespaces.PIPELINES.name());
    assertThat(DataPipelineWorkflow.TASK_QUEUE).isEqualTo(TaskQueues.PIPELINES);
  }

  @Test
  void runActivityNames() {
    assertThat(names(RunActivityWorkflow.class))
        .isEqualTo(Map.of("RunActivityWorkflow", WorkflowMethodType.WORKFLOW));
    assertThat(activityNames(RunActivityActivities.class))
        .containsExactlyInAnyOrder("LoadDefinition", "CreateTasks");
    assertThat(RunActivityWorkflow.NAMESPACE).isEqualTo(Namespaces.PIPELINES.name());
    assertThat(RunActivityWorkflow.TASK_QUEUE)
        .isEqualTo(TaskQueues.ACTIVITIES)
        .isEqualTo("activities-tq");
  }

  @Test
  void subjectEventsNames() {
    assertThat(names(SubjectEventsWorkflow.class))
        .isEqualTo(
            Map.of(
                "SubjectEventsWorkflow", WorkflowMethodType.WORKFLOW,
                "event", WorkflowMethodType.SIGNAL,
                "state", WorkflowMethodType.QUERY));
    assertThat(SubjectEventsWorkflow.EVENT_SIGNAL).isEqualTo("event");
    assertThat(SubjectEventsWorkflow.STATE_QUERY).isEqualTo("state");
    // Its children are RunActivity runs on its own queue: one worker runs both.
    assertThat(SubjectEventsWorkflow.NAMESPACE).isEqualTo(RunActivityWorkflow.NAMESPACE);
    assertThat(SubjectEventsWorkflow.TASK_QUEUE).isEqualTo(RunActivityWorkflow.TASK_QUEUE);
  }

  @Test
  void activityNamesDoNotCollideWithinTheSharedNamespace() {
    // DataPipeline (pipelines-tq) and RunActivity (activities-tq) have workers of their own but
    // share the
    // pipelines namespace, whose metrics and Web UI list activities by type name only.
    assertThat(RunActivityWorkflow.TASK_QUEUE).isNotEqualTo(DataPipelineWorkflow.TASK_QUEUE);
    List<String> pipelinesQueue =
        new java.util.ArrayList<>(activityNames(DataPipelineActivities.class));
    pipelinesQueue.addAll(activityNames(RunActivityActivities.class));
    assertThat(pipelinesQueue).doesNotHaveDuplicates();
  }

  private static Map<String, WorkflowMethodType> names(Class<?> workflowInterface) {
    return POJOWorkflowInterfaceMetadata.newInstance(workflowInterface)
        .getMethodsMetadata()
        .stream()
        .collect(
            Collectors.toMap(
                POJOWorkflowMethodMetadata::getName, POJOWorkflowMethodMetadata::getType));
  }

  private static List<String> activityNames(Class<?> activityInterface) {
    return POJOActivityInterfaceMetadata.newInstance(activityInterface)
        .getMethodsMetadata()
        .stream()
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .toList();
  }
}
