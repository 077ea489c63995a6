package io.bptemporal.ordersaga.cli;

import io.bptemporal.contracts.failure.FailureDetails;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaOutcomes;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.ordersaga.BusinessFailure;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts order sagas and collects their outcomes. */
public final class OrderPlacer {
  private final WorkflowClient client;
  private final String taskQueue;
  private final URI uiBase;

  public OrderPlacer(WorkflowClient client, String taskQueue, URI uiBase) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.uiBase = uiBase;
  }

  /**
   * Starts the saga of {@code order} under its deterministic ID. Placing an order whose saga is
   * still running attaches to that saga instead of starting a second one.
   */
  public WorkflowStub start(PlaceOrder order) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            OrderSagaWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.orderSaga(order.orderId()))
                .setTaskQueue(taskQueue)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
    stub.start(order);
    return stub;
  }

  /** The outcome of a started saga, waiting at most {@code timeout}. */
  public PlacedOrder await(PlaceOrder order, WorkflowStub stub, Duration timeout) {
    String workflowId = WorkflowIds.orderSaga(order.orderId());
    URI link = PlacedOrder.webUi(uiBase, client.getOptions().getNamespace(), workflowId);
    try {
      OrderResult result =
          stub.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, OrderResult.class);
      return new PlacedOrder(
          order.orderId(), workflowId, Optional.of(result), Optional.empty(), link);
    } catch (TimeoutException e) {
      return new PlacedOrder(
          order.orderId(),
          workflowId,
          Optional.empty(),
          Optional.of(
              "no outcome within "
                  + timeout.toSeconds()
                  + " s: is an order-saga worker polling task queue "
                  + taskQueue
                  + " in namespace "
                  + client.getOptions().getNamespace()
                  + "?"),
          link);
    } catch (WorkflowException e) {
      // A refused or cancelled order is a failed saga whose failure carries the order's result and
      // code.
      Optional<OrderResult> result = OrderSagaOutcomes.fromFailure(e);
      if (result.isPresent()) {
        return new PlacedOrder(
            order.orderId(),
            workflowId,
            result,
            FailureDetails.in(e).map(d -> "code: " + d.code().name()),
            link);
      }
      return new PlacedOrder(
          order.orderId(),
          workflowId,
          Optional.empty(),
          Optional.of("the saga ended without a result: " + BusinessFailure.describe(e)),
          link);
    }
  }

  /** A started saga, not awaited. */
  public PlacedOrder started(PlaceOrder order) {
    String workflowId = WorkflowIds.orderSaga(order.orderId());
    return new PlacedOrder(
        order.orderId(),
        workflowId,
        Optional.empty(),
        Optional.of("started (not awaited)"),
        PlacedOrder.webUi(uiBase, client.getOptions().getNamespace(), workflowId));
  }
}
