package io.bptemporal.ordersaga.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.PlatformFailures;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.CancelRequest;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.ConfirmationSent;
import io.bptemporal.contracts.ordersaga.InventoryReservation;
import io.bptemporal.contracts.ordersaga.OrderActivities;
import io.bptemporal.contracts.ordersaga.OrderCreated;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.OrderStatus;
import io.bptemporal.contracts.ordersaga.OrderStep;
import io.bptemporal.contracts.ordersaga.PaymentReceipt;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.ordersaga.RefundPayment;
import io.bptemporal.contracts.ordersaga.ReleaseInventory;
import io.bptemporal.contracts.ordersaga.ReserveInventory;
import io.bptemporal.contracts.ordersaga.SendConfirmation;
import io.bptemporal.ordersaga.BusinessFailure;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The order saga: create the order, charge the payment, reserve inventory, send the confirmation.
 *
 * <p>Each compensation is registered with {@link Saga} <em>before</em> its step runs: a step that
 * timed out or whose worker died may have taken effect without the workflow hearing of it, and only
 * a compensation registered beforehand undoes that. The compensations are idempotent and answer
 * {@code applied = false} when there was nothing to undo. One exception: a step that ended in a
 * business refusal ({@link BusinessFailure}) guarantees it changed nothing, so its compensation is
 * not run — which also keeps {@code CancelOrder} away from an order that belongs to someone else
 * ({@code OrderConflict}). Compensations run one after another in reverse order, in a detached
 * cancellation scope so that cancelling the workflow cannot interrupt them.
 *
 * <p>The {@code cancel} signal is accepted until the confirmation starts (the point of no return)
 * and takes effect before the next step; a later one is rejected and the status says so. Cancelling
 * the workflow through Temporal compensates the same way and ends the workflow as cancelled.
 *
 * <p>Outcomes (docs/contracts.md, "Errors"): a placed order is the result ({@code outcome
 * COMPLETED}); an order refused or cancelled fails the workflow with a non-retryable failure whose
 * type is the {@link FailureCode} ({@code OUT_OF_STOCK}, {@code ORDER_CANCELLED}, ...) and whose
 * details carry the {@link OrderResult} (outcome, total, payment, compensations run, reason) —
 * after the compensations ran.
 *
 * <p>Versions (change IDs of {@link Workflow#getVersion}): {@value #ORDER_LIMIT_CHANGE} 1 adds the
 * single-order limit check before the charge; {@value #TYPED_FAILURE_CHANGE} 1 ends a refused or
 * cancelled order as a failed workflow (before: a completed workflow with outcome
 * FAILED/CANCELLED). Histories recorded before them (version {@link Workflow#DEFAULT_VERSION})
 * replay unchanged — see OrderSagaReplayTest.
 */
public class OrderSagaWorkflowImpl implements OrderSagaWorkflow {
  /**
   * Change ID of the single-order limit check (version 1). Never rename or remove while such
   * histories exist.
   */
  public static final String ORDER_LIMIT_CHANGE = "order-limit-check";

  /**
   * Change ID of ending refused and cancelled orders as failed workflows with a code (version 1).
   */
  public static final String TYPED_FAILURE_CHANGE = "typed-failure";

  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  /** Orders above this total, in the currency's minor unit, are refused before any money moves. */
  public static final long ORDER_LIMIT_CENTS = 1_000_000L;

  private static final Logger log = Workflow.getLogger(OrderSagaWorkflowImpl.class);

  private final OrderActivities steps =
      Workflow.newActivityStub(
          OrderActivities.class,
          SagaActivityOptions.forward(),
          SagaActivityOptions.forwardByType());
  private final OrderActivities undo =
      Workflow.newActivityStub(
          OrderActivities.class,
          SagaActivityOptions.compensation(),
          SagaActivityOptions.compensationByType());

  private final String orderId;
  private Optional<OrderStep> currentStep = Optional.empty();
  private final List<OrderStep> completedSteps = new ArrayList<>();
  private final List<CompensationStep> compensationsRun = new ArrayList<>();

  /**
   * Compensations whose step was refused (business failure): nothing to undo, so they are not run.
   */
  private final Set<CompensationStep> notNeeded = EnumSet.noneOf(CompensationStep.class);

  private final List<String> compensationFailures = new ArrayList<>();
  private OrderOutcome outcome = OrderOutcome.IN_PROGRESS;
  private Optional<String> reason = Optional.empty();
  private Optional<String> cancelRequested = Optional.empty();
  private boolean confirming;
  private String compensationReason = "";

  @WorkflowInit
  public OrderSagaWorkflowImpl(PlaceOrder order) {
    // Known before the first line of placeOrder runs, so a status query or a signal that arrives
    // with the
    // start already sees the order.
    this.orderId = order.orderId();
    // The ID is the order's idempotency fence (one open saga per order): a saga under another ID
    // could run
    // twice for one order. Fails the workflow (not its task) before anything happens.
    String expected = WorkflowIds.orderSaga(orderId);
    String actual = Workflow.getInfo().getWorkflowId();
    if (!expected.equals(actual)) {
      throw PlatformFailures.failure(
          FailureCode.WORKFLOW_ID_MISMATCH,
          "workflow ID '"
              + actual
              + "' does not"
              + " follow the order saga's rule order:<order_id>: for order_id '"
              + orderId
              + "' it must be '"
              + expected
              + "'; nothing was done");
    }
  }

  @Override
  public OrderResult placeOrder(PlaceOrder order) {
    Saga saga =
        new Saga(
            new Saga.Options.Builder()
                .setParallelCompensation(false)
                // A compensation that fails for good must not stop the ones after it (refund even
                // if the release broke).
                .setContinueWithError(true)
                .build());
    long totalCents = 0;
    Optional<String> paymentId = Optional.empty();
    Optional<String> reservationId = Optional.empty();
    try {
      OrderCreated created =
          step(
              OrderStep.CREATE_ORDER,
              saga,
              CompensationStep.CANCEL_ORDER,
              () -> undo.cancelOrder(new CancelOrder(orderId, compensationReason)),
              () -> steps.createOrder(order));
      totalCents = created.totalCents();

      // Version 1 of this change: orders above the limit stop here, before any money moves. Sagas
      // that passed
      // this point before the change (no marker in their history) get DEFAULT_VERSION and replay
      // unchanged.
      int limitCheck = Workflow.getVersion(ORDER_LIMIT_CHANGE, Workflow.DEFAULT_VERSION, 1);
      if (limitCheck >= 1 && totalCents > ORDER_LIMIT_CENTS) {
        throw new SagaStopped(
            OrderOutcome.FAILED,
            FailureCode.ORDER_LIMIT_EXCEEDED,
            "CHARGE_PAYMENT refused: "
                + BusinessFailure.ORDER_LIMIT_EXCEEDED.type()
                + ": order total "
                + totalCents
                + " exceeds the"
                + " single-order limit of "
                + ORDER_LIMIT_CENTS
                + " ("
                + order.currency()
                + " minor units)");
      }

      long amount = totalCents;
      PaymentReceipt receipt =
          step(
              OrderStep.CHARGE_PAYMENT,
              saga,
              CompensationStep.REFUND_PAYMENT,
              () ->
                  undo.refundPayment(
                      new RefundPayment(orderId, amount, order.currency(), compensationReason)),
              () ->
                  steps.chargePayment(
                      new ChargePayment(
                          orderId,
                          order.customerId(),
                          amount,
                          order.currency(),
                          order.paymentMethod())));
      paymentId = Optional.of(receipt.paymentId());

      InventoryReservation reservation =
          step(
              OrderStep.RESERVE_INVENTORY,
              saga,
              CompensationStep.RELEASE_INVENTORY,
              () -> undo.releaseInventory(new ReleaseInventory(orderId, compensationReason)),
              () -> steps.reserveInventory(new ReserveInventory(orderId, order.lines())));
      reservationId = Optional.of(reservation.reservationId());

      confirm(
          new SendConfirmation(
              orderId, order.customerId(), receipt.paymentId(), reservation.reservationId()));
      outcome = OrderOutcome.COMPLETED;
      log.info(
          "order {} completed: payment {}, reservation {}",
          orderId,
          receipt.paymentId(),
          reservation.reservationId());
      return result(totalCents, paymentId, reservationId, Optional.empty());
    } catch (SagaStopped stopped) {
      compensate(saga, stopped.outcome, stopped.reason, stopped.compensationReason());
      OrderResult result = result(totalCents, paymentId, reservationId, reason);
      if (Workflow.getVersion(TYPED_FAILURE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        throw PlatformFailures.failure(
            stopped.code,
            "order "
                + orderId
                + " "
                + result.outcome().name().toLowerCase(Locale.ROOT)
                + ": "
                + stopped.reason,
            JSON.valueToTree(result),
            null);
      }
      return result;
    } catch (CanceledFailure cancelled) {
      compensate(
          saga, OrderOutcome.CANCELLED, "workflow cancelled", "cancelled: workflow cancelled");
      throw cancelled;
    }
  }

  @Override
  public void cancel(CancelRequest request) {
    if (outcome != OrderOutcome.IN_PROGRESS) {
      log.info(
          "cancel of order {} ignored ({}): the saga is already {}",
          orderId,
          request.reason(),
          outcome);
    } else if (confirming) {
      reason =
          Optional.of(
              "cancel request rejected ("
                  + request.reason()
                  + "): the order was already being confirmed");
      log.info(
          "cancel of order {} rejected ({}): confirmation already started",
          orderId,
          request.reason());
    } else if (cancelRequested.isEmpty()) {
      cancelRequested = Optional.of(request.reason());
      log.info(
          "cancel of order {} accepted ({}); it takes effect before the next step",
          orderId,
          request.reason());
    }
  }

  @Override
  public OrderStatus status() {
    return new OrderStatus(orderId, currentStep, completedSteps, compensationsRun, outcome, reason);
  }

  /**
   * Runs one forward step: first an accepted cancel stops the saga, then the step's compensation is
   * registered, then the activity runs. A failure of the activity (after its retries) stops the
   * saga.
   */
  private <T> T step(
      OrderStep step,
      Saga saga,
      CompensationStep compensation,
      Functions.Func<CompensationResult> compensationCall,
      Functions.Func<T> action) {
    stopIfCancelRequested();
    saga.addCompensation(() -> runCompensation(compensation, compensationCall));
    return run(step, action, Optional.of(compensation));
  }

  /**
   * The confirmation: no compensation (a sent message cannot be unsent), and cancellation no longer
   * applies.
   */
  private void confirm(SendConfirmation request) {
    stopIfCancelRequested();
    confirming = true;
    List<ConfirmationSent> sent = new ArrayList<>(1);
    // Detached: a workflow cancellation that arrives now must not cut the confirmation off halfway.
    Workflow.newDetachedCancellationScope(
            () ->
                sent.add(
                    run(
                        OrderStep.SEND_CONFIRMATION,
                        () -> steps.sendConfirmation(request),
                        Optional.empty())))
        .run();
    log.info("order {} confirmed ({})", orderId, sent.get(0).messageId());
  }

  private <T> T run(
      OrderStep step, Functions.Func<T> action, Optional<CompensationStep> compensation) {
    currentStep = Optional.of(step);
    try {
      T result = action.apply();
      completedSteps.add(step);
      currentStep = Optional.empty();
      return result;
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure
          || CancellationScope.current().isCancelRequested()) {
        // The workflow is being cancelled: the step may or may not have landed, so its compensation
        // stays.
        throw new CanceledFailure("workflow cancelled during " + step);
      }
      if (BusinessFailure.in(failure).isPresent()) {
        compensation.ifPresent(notNeeded::add);
      }
      String why = step + " failed: " + BusinessFailure.describe(failure);
      log.info("order {}: {}", orderId, why);
      throw new SagaStopped(
          OrderOutcome.FAILED,
          BusinessFailure.in(failure)
              .map(BusinessFailure::code)
              .orElse(FailureCode.STEP_UNAVAILABLE),
          why);
    }
  }

  private void stopIfCancelRequested() {
    if (CancellationScope.current().isCancelRequested()) {
      // The workflow itself is being cancelled (the step before finished first): no further step.
      throw new CanceledFailure("workflow cancelled");
    }
    if (cancelRequested.isPresent()) {
      throw new SagaStopped(
          OrderOutcome.CANCELLED, FailureCode.ORDER_CANCELLED, cancelRequested.get());
    }
  }

  private void compensate(
      Saga saga, OrderOutcome finalOutcome, String why, String toldToCompensations) {
    currentStep = Optional.empty();
    outcome = OrderOutcome.COMPENSATING;
    reason = Optional.of(why);
    compensationReason = toldToCompensations;
    // Detached: cancelling the workflow must not interrupt the compensations.
    Workflow.newDetachedCancellationScope(saga::compensate).run();
    if (!compensationFailures.isEmpty()) {
      // An ApplicationFailure, not a plain exception: that would fail the workflow task and retry
      // it forever
      // without a word, instead of failing the workflow where an operator sees it.
      throw PlatformFailures.failure(
          FailureCode.COMPENSATION_FAILED,
          "order "
              + orderId
              + ": a compensation failed for good after "
              + why
              + ": "
              + String.join("; ", compensationFailures)
              + "; compensations run: "
              + compensationsRun
              + " (the order needs a person, see docs/order-saga.md)");
    }
    outcome = finalOutcome;
    log.info(
        "order {} {} after compensations {}: {}",
        orderId,
        finalOutcome.name().toLowerCase(Locale.ROOT),
        compensationsRun,
        why);
  }

  private void runCompensation(CompensationStep step, Functions.Func<CompensationResult> call) {
    if (notNeeded.contains(step)) {
      return;
    }
    CompensationResult result;
    try {
      result = call.apply();
    } catch (ActivityFailure failure) {
      // Saga (continueWithError) swallows it and goes on with the next compensation; it is reported
      // after all ran.
      compensationFailures.add(step + ": " + BusinessFailure.describe(failure));
      log.warn(
          "order {}: {} failed for good: {}", orderId, step, BusinessFailure.describe(failure));
      return;
    }
    compensationsRun.add(step);
    OrderSagaMetrics.compensation(step.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    log.info("order {}: {} done (applied: {})", orderId, step, result.applied());
  }

  private OrderResult result(
      long totalCents,
      Optional<String> paymentId,
      Optional<String> reservationId,
      Optional<String> why) {
    return new OrderResult(
        orderId, outcome, totalCents, paymentId, reservationId, compensationsRun, why);
  }

  /** Ends the forward path: a step failed, a limit was hit or a cancel was accepted. */
  private static final class SagaStopped extends RuntimeException {
    private final OrderOutcome outcome;
    private final FailureCode code;
    private final String reason;

    SagaStopped(OrderOutcome outcome, FailureCode code, String reason) {
      super(reason, null, false, false);
      this.outcome = outcome;
      this.code = code;
      this.reason = reason;
    }

    /** What the compensations are told: the failure itself, or "cancelled: <reason>". */
    String compensationReason() {
      return outcome == OrderOutcome.CANCELLED ? "cancelled: " + reason : reason;
    }
  }
}
