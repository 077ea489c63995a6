package io.bptemporal.contracts.ordersaga;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The order saga: create the order, charge the payment, reserve inventory, send the confirmation;
 * when a step fails or a {@code cancel} signal arrives, undo what was done in reverse order. Runs
 * in namespace {@value #NAMESPACE} on task queue {@value #TASK_QUEUE} with workflow ID {@code
 * order:<order_id>} ({@link io.bptemporal.contracts.naming.WorkflowIds#orderSaga(String)}).
 *
 * <p>Names are fixed explicitly so that callers in other languages can rely on them whatever the
 * Java interface is called.
 */
@WorkflowInterface
public interface OrderSagaWorkflow {

  String WORKFLOW_TYPE = "OrderSagaWorkflow";
  String NAMESPACE = "orders";
  String TASK_QUEUE = "orders-tq";
  String CANCEL_SIGNAL = "cancel";
  String STATUS_QUERY = "status";

  @WorkflowMethod(name = WORKFLOW_TYPE)
  OrderResult placeOrder(PlaceOrder order);

  /** Cancels the order unless it already completed; compensations undo what was done. */
  @SignalMethod(name = CANCEL_SIGNAL)
  void cancel(CancelRequest request);

  @QueryMethod(name = STATUS_QUERY)
  OrderStatus status();
}
