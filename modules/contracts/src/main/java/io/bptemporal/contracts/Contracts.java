package io.bptemporal.contracts;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.ActivityDefinitionRules;
import io.bptemporal.contracts.activity.TaskInstance;
import io.bptemporal.contracts.activity.TaskInstanceRules;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.event.EventEnvelopeRules;
import io.bptemporal.contracts.failure.FailureDetails;
import io.bptemporal.contracts.ordersaga.CancelRequest;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderStatus;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.ordersaga.PlaceOrderRules;
import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineRequestRules;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityRequestRules;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsRequestRules;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.validation.Contract;
import io.bptemporal.contracts.validation.DocumentRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every document type with a JSON Schema, for {@link ContractValidator#validate(Contract, String)}.
 */
public final class Contracts {

  public static final Contract<EventEnvelope> EVENT_ENVELOPE =
      new Contract<>(
          "event-envelope",
          "event-envelope/v1.json",
          EventEnvelope.class,
          new EventEnvelopeRules(),
          true);
  public static final Contract<ActivityDefinition> ACTIVITY_DEFINITION =
      new Contract<>(
          "activity-definition",
          "activity-definition/v1.json",
          ActivityDefinition.class,
          new ActivityDefinitionRules(),
          true);
  public static final Contract<TaskInstance> TASK_INSTANCE =
      new Contract<>(
          "task-instance",
          "task-instance/v1.json",
          TaskInstance.class,
          new TaskInstanceRules(),
          false);
  public static final Contract<PlaceOrder> PLACE_ORDER =
      new Contract<>(
          "place-order", "place-order/v1.json", PlaceOrder.class, new PlaceOrderRules(), false);
  public static final Contract<PipelineRequest> PIPELINE_REQUEST =
      new Contract<>(
          "pipeline-request",
          "pipeline-request/v1.json",
          PipelineRequest.class,
          new PipelineRequestRules(),
          false);
  public static final Contract<RunActivityRequest> RUN_ACTIVITY_REQUEST =
      new Contract<>(
          "run-activity-request",
          "run-activity-request/v1.json",
          RunActivityRequest.class,
          new RunActivityRequestRules(),
          false);
  public static final Contract<SubjectEventsRequest> SUBJECT_EVENTS_REQUEST =
      new Contract<>(
          "subject-events-request",
          "subject-events-request/v1.json",
          SubjectEventsRequest.class,
          new SubjectEventsRequestRules(),
          false);

  public static final Contract<CancelRequest> CANCEL_REQUEST =
      new Contract<>(
          "cancel-request",
          "cancel-request/v1.json",
          CancelRequest.class,
          DocumentRules.NONE,
          false);
  public static final Contract<OrderResult> ORDER_RESULT =
      new Contract<>(
          "order-result", "order-result/v1.json", OrderResult.class, DocumentRules.NONE, false);
  public static final Contract<OrderStatus> ORDER_STATUS =
      new Contract<>(
          "order-status", "order-status/v1.json", OrderStatus.class, DocumentRules.NONE, false);
  public static final Contract<PipelineResult> PIPELINE_RESULT =
      new Contract<>(
          "pipeline-result",
          "pipeline-result/v1.json",
          PipelineResult.class,
          DocumentRules.NONE,
          false);
  public static final Contract<PipelineProgress> PIPELINE_PROGRESS =
      new Contract<>(
          "pipeline-progress",
          "pipeline-progress/v1.json",
          PipelineProgress.class,
          DocumentRules.NONE,
          false);
  public static final Contract<RunActivityResult> RUN_ACTIVITY_RESULT =
      new Contract<>(
          "run-activity-result",
          "run-activity-result/v1.json",
          RunActivityResult.class,
          DocumentRules.NONE,
          false);
  public static final Contract<SubjectEventsState> SUBJECT_EVENTS_STATE =
      new Contract<>(
          "subject-events-state",
          "subject-events-state/v1.json",
          SubjectEventsState.class,
          DocumentRules.NONE,
          false);
  public static final Contract<FailureDetails> FAILURE_DETAILS =
      new Contract<>(
          "failure-details",
          "failure-details/v1.json",
          FailureDetails.class,
          DocumentRules.NONE,
          false);

  public static final List<Contract<?>> ALL =
      List.of(
          EVENT_ENVELOPE,
          ACTIVITY_DEFINITION,
          TASK_INSTANCE,
          PLACE_ORDER,
          PIPELINE_REQUEST,
          RUN_ACTIVITY_REQUEST,
          SUBJECT_EVENTS_REQUEST,
          CANCEL_REQUEST,
          ORDER_RESULT,
          ORDER_STATUS,
          PIPELINE_RESULT,
          PIPELINE_PROGRESS,
          RUN_ACTIVITY_RESULT,
          SUBJECT_EVENTS_STATE,
          FAILURE_DETAILS);

  private static final Map<Class<?>, Contract<?>> BY_TYPE =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Contract::type, c -> c));

  /** The contract whose documents bind to {@code type}, if {@code type} has a JSON Schema. */
  @SuppressWarnings("unchecked")
  public static <T> Optional<Contract<T>> forType(Class<T> type) {
    return Optional.ofNullable((Contract<T>) BY_TYPE.get(type));
  }

  private Contracts() {}
}
