package io.bptemporal.ordersaga.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.FailureDetails;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.CancelRequest;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaOutcomes;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.OrderStatus;
import io.bptemporal.contracts.ordersaga.OrderStep;
import io.bptemporal.contracts.ordersaga.RefundPayment;
import io.bptemporal.ordersaga.BusinessFailure;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The saga's control flow on the SDK's in-memory test server, with scripted activities. Cancelling
 * the workflow itself (not the cancel signal) is tested on the real server in OrderSagaIT: the
 * in-memory server rejects the cancellation of a started activity with ACTIVITY_UNKNOWN
 * (temporalio/sdk-java#2391).
 */
class OrderSagaWorkflowTest {
  private static final List<String> FORWARD =
      List.of("CreateOrder", "ChargePayment", "ReserveInventory", "SendConfirmation");

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(OrderSagaWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final ScriptedActivities activities = new ScriptedActivities();

  @Test
  void happyPathRunsEveryStepOnceAndCompensatesNothing(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OrderSagaWorkflow saga = start(env, worker, client, "o-1001");

    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-1001")));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.COMPLETED);
    assertThat(result.totalCents()).isEqualTo(3048);
    assertThat(result.paymentId()).contains("pay_1");
    assertThat(result.reservationId()).contains("res_1");
    assertThat(result.compensationsRun()).isEmpty();
    assertThat(result.reason()).isEmpty();
    assertThat(activities.calls()).isEqualTo(FORWARD);
    OrderStatus status = saga.status();
    assertThat(status.completedSteps()).containsExactly(OrderStep.values());
    assertThat(status.currentStep()).isEmpty();
    assertThat(status.outcome()).isEqualTo(OrderOutcome.COMPLETED);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        // The create step refused: nothing to undo (and an order of someone else must not be
        // cancelled).
        Arguments.of(
            "CreateOrder", BusinessFailure.ORDER_CONFLICT, List.of("CreateOrder"), List.of()),
        Arguments.of(
            "ChargePayment",
            BusinessFailure.INSUFFICIENT_FUNDS,
            List.of("CreateOrder", "ChargePayment", "CancelOrder"),
            List.of(CompensationStep.CANCEL_ORDER)),
        Arguments.of(
            "ReserveInventory",
            BusinessFailure.OUT_OF_STOCK,
            List.of(
                "CreateOrder", "ChargePayment", "ReserveInventory", "RefundPayment", "CancelOrder"),
            List.of(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER)),
        Arguments.of(
            "SendConfirmation",
            BusinessFailure.ORDER_CLOSED,
            List.of(
                "CreateOrder",
                "ChargePayment",
                "ReserveInventory",
                "SendConfirmation",
                "ReleaseInventory",
                "RefundPayment",
                "CancelOrder"),
            List.of(
                CompensationStep.RELEASE_INVENTORY,
                CompensationStep.REFUND_PAYMENT,
                CompensationStep.CANCEL_ORDER)));
  }

  @ParameterizedTest(name = "{0} refused with {1}")
  @MethodSource("refusals")
  void aRefusedStepIsNotRetriedAndWhatCameBeforeIsUndoneInReverse(
      String refusingStep,
      BusinessFailure refusal,
      List<String> expectedCalls,
      List<CompensationStep> expectedCompensations,
      TestWorkflowEnvironment env,
      Worker worker,
      WorkflowClient client) {
    activities.refuse(refusingStep, refusal);
    OrderSagaWorkflow saga = start(env, worker, client, "o-2001");

    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-2001")));

    assertThat(activities.calls())
        .as("one attempt of the refused step, then the compensations")
        .isEqualTo(expectedCalls);
    assertThat(result.outcome()).isEqualTo(OrderOutcome.FAILED);
    assertThat(result.compensationsRun()).isEqualTo(expectedCompensations);
    assertThat(result.reason())
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .startsWith(stepOf(refusingStep) + " failed: " + refusal.type() + ": "));
    OrderStatus status = saga.status();
    assertThat(status.outcome()).isEqualTo(OrderOutcome.FAILED);
    assertThat(status.compensationsRun()).isEqualTo(expectedCompensations);
    assertThat(status.currentStep()).isEmpty();
  }

  @Test
  void anOrderAboveTheSingleOrderLimitIsCancelledBeforeAnyMoneyMoves(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OrderSagaWorkflow saga = start(env, worker, client, "o-7001");

    // 1000 × 1001 = 1,001,000 cents, just above the limit.
    OrderResult result =
        OrderSagaOutcomes.resultOf(
            () ->
                saga.placeOrder(
                    SampleOrders.withLines(
                        "o-7001",
                        "tok_visa_4242",
                        List.of(new OrderLine("SKU-RED-MUG", 1000, 1001)))));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.FAILED);
    assertThat(result.reason())
        .contains(
            "CHARGE_PAYMENT refused: OrderLimitExceeded: order total 1001000 exceeds the"
                + " single-order limit of 1000000 (EUR minor units)");
    assertThat(activities.calls()).containsExactly("CreateOrder", "CancelOrder");
    assertThat(result.compensationsRun()).containsExactly(CompensationStep.CANCEL_ORDER);
    assertThat(client.fetchHistory(WorkflowIds.orderSaga("o-7001")).getEvents())
        .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .as("new sagas record the versions of the limit check and of the typed failure")
        .hasSize(2)
        .extracting(
            marker ->
                marker
                    .getMarkerRecordedEventAttributes()
                    .getDetailsMap()
                    .get("changeId")
                    .getPayloads(0)
                    .getData()
                    .toStringUtf8())
        .containsExactly(
            "\"" + OrderSagaWorkflowImpl.ORDER_LIMIT_CHANGE + "\"",
            "\"" + OrderSagaWorkflowImpl.TYPED_FAILURE_CHANGE + "\"");
  }

  @Test
  void anOrderAtTheLimitGoesThrough(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OrderSagaWorkflow saga = start(env, worker, client, "o-7002");

    OrderResult result =
        OrderSagaOutcomes.resultOf(
            () ->
                saga.placeOrder(
                    SampleOrders.withLines(
                        "o-7002",
                        "tok_visa_4242",
                        List.of(new OrderLine("SKU-RED-MUG", 1000, 1000)))));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.COMPLETED);
    assertThat(result.totalCents()).isEqualTo(OrderSagaWorkflowImpl.ORDER_LIMIT_CENTS);
  }

  @Test
  void compensationsAreToldWhyAndRefundTheChargedAmount(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities.refuse("ReserveInventory", BusinessFailure.OUT_OF_STOCK);
    OrderSagaWorkflow saga = start(env, worker, client, "o-2002");

    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-2002")));

    RefundPayment refund = activities.request(RefundPayment.class);
    assertThat(refund.amountCents()).isEqualTo(3048);
    assertThat(refund.currency()).isEqualTo("EUR");
    assertThat(refund.reason())
        .isEqualTo(result.reason().orElseThrow())
        .contains("OutOfStock: ReserveInventory refused (scripted)");
    assertThat(activities.request(CancelOrder.class).reason()).isEqualTo(refund.reason());
    assertThat(result.paymentId())
        .as("the charge succeeded before it was refunded")
        .contains("pay_1");
    assertThat(result.reservationId()).isEmpty();
  }

  @Test
  void aRefusedOrderFailsTheWorkflowWithItsCodeAndTheOrderResultInTheDetails(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities.refuse("ReserveInventory", BusinessFailure.OUT_OF_STOCK);
    OrderSagaWorkflow saga = start(env, worker, client, "o-2003");

    assertThatThrownBy(() -> saga.placeOrder(SampleOrders.mugAndTea("o-2003")))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("OUT_OF_STOCK");
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .startsWith("order o-2003 failed: RESERVE_INVENTORY failed: OutOfStock");
              FailureDetails details = failure.getDetails().get(FailureDetails.class);
              assertThat(details.code()).isEqualTo(FailureCode.OUT_OF_STOCK);
              assertThat(details.context())
                  .hasValueSatisfying(
                      context -> {
                        assertThat(context.path("outcome").asText()).isEqualTo("FAILED");
                        assertThat(context.path("total_cents").asLong()).isEqualTo(3048);
                        assertThat(context.path("compensations_run").toString())
                            .isEqualTo("[\"REFUND_PAYMENT\",\"CANCEL_ORDER\"]");
                      });
            });
  }

  @Test
  void aSagaStartedUnderAnotherWorkflowIdFailsAtOnceAndDoesNothing(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(activities);
    env.start();
    OrderSagaWorkflow saga =
        client.newWorkflowStub(
            OrderSagaWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("o-4242")
                .setTaskQueue(worker.getTaskQueue())
                .build());

    assertThatThrownBy(() -> saga.placeOrder(SampleOrders.mugAndTea("o-4242")))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("WORKFLOW_ID_MISMATCH");
              assertThat(failure.getOriginalMessage()).contains("'o-4242'", "order:o-4242");
            });
    assertThat(activities.calls()).isEmpty();
  }

  @Test
  void infrastructureFailuresAreRetriedWithBackoffUntilTheStepSucceeds(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities.failInfrastructure("ChargePayment", 3).failInfrastructure("ReserveInventory", 1);
    OrderSagaWorkflow saga = start(env, worker, client, "o-3001");

    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-3001")));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.COMPLETED);
    assertThat(activities.attempts("ChargePayment")).isEqualTo(4);
    assertThat(activities.attempts("ReserveInventory")).isEqualTo(2);
    assertThat(activities.distinctCalls()).isEqualTo(FORWARD);
  }

  @Test
  void aStepThatKeepsFailingGivesUpAfterItsDeadlineAndIsCompensatedBecauseItMayHaveLanded(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities.failInfrastructure("ChargePayment", Integer.MAX_VALUE);
    OrderSagaWorkflow saga = start(env, worker, client, "o-3002");

    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-3002")));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.FAILED);
    assertThat(activities.attempts("ChargePayment"))
        .as("retried with backoff for 10 minutes")
        .isBetween(10L, 40L);
    // Unlike a refusal, an exhausted step may have charged: the refund registered before it runs.
    assertThat(result.compensationsRun())
        .containsExactly(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER);
    assertThat(result.reason())
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("CHARGE_PAYMENT failed: "));
  }

  @Test
  void aCompensationThatFailsTransientlyIsRetriedUntilItSucceeds(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities
        .refuse("ReserveInventory", BusinessFailure.OUT_OF_STOCK)
        .failInfrastructure("RefundPayment", 5);
    OrderSagaWorkflow saga = start(env, worker, client, "o-3003");

    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-3003")));

    assertThat(activities.attempts("RefundPayment")).isEqualTo(6);
    assertThat(result.compensationsRun())
        .containsExactly(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER);
  }

  @Test
  void aCompensationRefusedForGoodDoesNotStopTheOthersAndFailsTheWorkflowLoudly(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities
        .refuse("ReserveInventory", BusinessFailure.OUT_OF_STOCK)
        .refuse("RefundPayment", BusinessFailure.REFUND_REJECTED);
    OrderSagaWorkflow saga = start(env, worker, client, "o-3004");

    assertThatThrownBy(() -> saga.placeOrder(SampleOrders.mugAndTea("o-3004")))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("COMPENSATION_FAILED");
              assertThat(failure.getOriginalMessage())
                  .contains("order o-3004", "a compensation failed");
            });
    assertThat(activities.calls()).endsWith("RefundPayment", "CancelOrder");
    assertThat(saga.status().compensationsRun()).containsExactly(CompensationStep.CANCEL_ORDER);
  }

  @Test
  void cancelSignalDuringAStepLetsItFinishThenUndoesEverythingDoneSoFar(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    activities.block("ChargePayment");
    OrderSagaWorkflow saga = start(env, worker, client, "o-4001");
    WorkflowClient.start(saga::placeOrder, SampleOrders.mugAndTea("o-4001"));
    activities.awaitEntered("ChargePayment");

    OrderStatus during = saga.status();
    assertThat(during.currentStep()).contains(OrderStep.CHARGE_PAYMENT);
    assertThat(during.completedSteps()).containsExactly(OrderStep.CREATE_ORDER);
    assertThat(during.outcome()).isEqualTo(OrderOutcome.IN_PROGRESS);

    saga.cancel(new CancelRequest("customer request"));
    activities.release("ChargePayment");
    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> WorkflowStub.fromTyped(saga).getResult(OrderResult.class));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.CANCELLED);
    assertThat(result.reason()).contains("customer request");
    assertThat(result.compensationsRun())
        .containsExactly(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER);
    assertThat(activities.calls())
        .containsExactly("CreateOrder", "ChargePayment", "RefundPayment", "CancelOrder");
    assertThat(activities.request(RefundPayment.class).reason())
        .isEqualTo("cancelled: customer request");
    assertThat(saga.status().outcome()).isEqualTo(OrderOutcome.CANCELLED);
  }

  @Test
  void cancelSignalOnceTheConfirmationStartedIsRejectedAndTheStatusSaysSo(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    activities.block("SendConfirmation");
    OrderSagaWorkflow saga = start(env, worker, client, "o-4002");
    WorkflowClient.start(saga::placeOrder, SampleOrders.mugAndTea("o-4002"));
    activities.awaitEntered("SendConfirmation");

    saga.cancel(new CancelRequest("changed my mind"));
    OrderStatus afterSignal = saga.status();
    activities.release("SendConfirmation");
    OrderResult result =
        OrderSagaOutcomes.resultOf(() -> WorkflowStub.fromTyped(saga).getResult(OrderResult.class));

    assertThat(afterSignal.outcome()).isEqualTo(OrderOutcome.IN_PROGRESS);
    assertThat(afterSignal.reason())
        .contains(
            "cancel request rejected (changed my mind): the order was already being confirmed");
    assertThat(result.outcome()).isEqualTo(OrderOutcome.COMPLETED);
    assertThat(result.compensationsRun()).isEmpty();
    assertThat(activities.calls()).isEqualTo(FORWARD);
  }

  @Test
  void statusIsAnsweredFromTheFirstMomentWithTheOrderId(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    activities.block("CreateOrder");
    OrderSagaWorkflow saga = start(env, worker, client, "o-5001");
    WorkflowClient.start(saga::placeOrder, SampleOrders.mugAndTea("o-5001"));
    activities.awaitEntered("CreateOrder");

    OrderStatus status = saga.status();
    activities.release("CreateOrder");
    OrderSagaOutcomes.resultOf(() -> WorkflowStub.fromTyped(saga).getResult(OrderResult.class));

    assertThat(status.orderId()).isEqualTo("o-5001");
    assertThat(status.currentStep()).contains(OrderStep.CREATE_ORDER);
    assertThat(status.completedSteps()).isEmpty();
    assertThat(status.compensationsRun()).isEmpty();
    assertThat(status.outcome()).isEqualTo(OrderOutcome.IN_PROGRESS);
    assertThat(status.reason()).isEmpty();
  }

  @Test
  void forwardStepsHaveADeadlineExceptTheConfirmationAndCompensationsHaveNone(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    activities.refuse("SendConfirmation", BusinessFailure.ORDER_CLOSED);
    OrderSagaWorkflow saga = start(env, worker, client, "o-6001");
    OrderSagaOutcomes.resultOf(() -> saga.placeOrder(SampleOrders.mugAndTea("o-6001")));

    List<HistoryEvent> scheduled =
        client.fetchHistory(WorkflowIds.orderSaga("o-6001")).getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .toList();
    for (HistoryEvent event : scheduled) {
      var attributes = event.getActivityTaskScheduledEventAttributes();
      String type = attributes.getActivityType().getName();
      long deadline = attributes.getScheduleToCloseTimeout().getSeconds();
      boolean bounded = List.of("CreateOrder", "ChargePayment", "ReserveInventory").contains(type);
      if (bounded) {
        assertThat(deadline).as(type + " schedule-to-close").isEqualTo(600);
      } else {
        // Unset is stored as "unlimited": 0 on the real server, 10 years on the in-memory one.
        assertThat(deadline == 0 || deadline >= 365L * 24 * 3600)
            .as(type + " has no deadline, got " + deadline + " s")
            .isTrue();
      }
      assertThat(attributes.getRetryPolicy().getNonRetryableErrorTypesList())
          .as(type + " doNotRetry")
          .contains("InsufficientFunds", "OutOfStock");
      assertThat(attributes.getStartToCloseTimeout().getSeconds())
          .as(type + " start-to-close")
          .isEqualTo(List.of("ChargePayment", "RefundPayment").contains(type) ? 15 : 10);
    }
    assertThat(scheduled).hasSize(7);
  }

  private OrderSagaWorkflow start(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client, String orderId) {
    worker.registerActivitiesImplementations(activities);
    env.start();
    return client.newWorkflowStub(
        OrderSagaWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.orderSaga(orderId))
            .setTaskQueue(worker.getTaskQueue())
            .build());
  }

  private static OrderStep stepOf(String activityType) {
    return switch (activityType) {
      case "CreateOrder" -> OrderStep.CREATE_ORDER;
      case "ChargePayment" -> OrderStep.CHARGE_PAYMENT;
      case "ReserveInventory" -> OrderStep.RESERVE_INVENTORY;
      case "SendConfirmation" -> OrderStep.SEND_CONFIRMATION;
      default -> throw new IllegalArgumentException(activityType);
    };
  }
}
