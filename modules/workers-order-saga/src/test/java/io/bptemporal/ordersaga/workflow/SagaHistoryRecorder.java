package io.bptemporal.ordersaga.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.e2e.SagaStack;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.LedgerOnlyProvider;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records histories of the CURRENT saga code on the real dev stack into
 * src/test/resources/histories/OrderSagaWorkflow, named by version (v1-...): snapshots of an older
 * version, replayed by RecordedHistoriesReplayTest. The scenarios of the current code are recorded
 * by OrderSagaIT (make record-histories, docs/operations/replay-safety.md). Not part of the build
 * (its name matches neither *Test nor *IT); run it before a change that needs Workflow.getVersion,
 * with the code as it is before the change:
 *
 * <pre>
 * ./mvnw -B -pl modules/workers-order-saga verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=SagaHistoryRecorder -Dbp.histories.version=v1
 * </pre>
 */
@ExtendWith(DevStackExtension.class)
class SagaHistoryRecorder {

  @Test
  void record(StackEndpoints stack) throws Exception {
    String version = System.getProperty("bp.histories.version", "v1");
    Path dir = Path.of("src/test/resources/histories/OrderSagaWorkflow");
    Files.createDirectories(dir);
    String run = Long.toString(System.currentTimeMillis(), 36);
    try (SagaStack saga =
        SagaStack.start(
            stack,
            "orders_history",
            "orders-history-" + run,
            new LedgerOnlyProvider(),
            Optional.empty())) {
      new InventoryReservations(saga.sql())
          .ensureAvailable(Map.of("SKU-RED-MUG", 100_000, "SKU-TEA-01", 100_000, "SKU-POSTER", 1));
      record(
          saga,
          dir,
          version + "-completed",
          SampleOrders.mugAndTea("o-rec-" + run + "-1"),
          OrderOutcome.COMPLETED);
      record(
          saga,
          dir,
          version + "-out-of-stock",
          SampleOrders.withLines(
              "o-rec-" + run + "-2",
              "tok_visa_4242",
              List.of(new OrderLine("SKU-RED-MUG", 1, 1299), new OrderLine("SKU-POSTER", 5, 2500))),
          OrderOutcome.FAILED);
      // 1000 × 1299 = 1,299,000 cents: above the single-order limit that version 2 introduces.
      record(
          saga,
          dir,
          version + "-large-order",
          SampleOrders.withLines(
              "o-rec-" + run + "-3",
              "tok_visa_4242",
              List.of(new OrderLine("SKU-RED-MUG", 1000, 1299))),
          null);
    }
  }

  private static void record(
      SagaStack saga, Path dir, String name, PlaceOrder order, OrderOutcome expected)
      throws Exception {
    String workflowId = WorkflowIds.orderSaga(order.orderId());
    OrderSagaWorkflow workflow =
        saga.client()
            .newWorkflowStub(
                OrderSagaWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId)
                    .setTaskQueue(saga.taskQueue())
                    .build());
    OrderResult result = workflow.placeOrder(order);
    if (expected != null) {
      assertThat(result.outcome()).isEqualTo(expected);
    }
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, saga.client().fetchHistory(workflowId).toJson(true));
    System.out.println("recorded " + file + ": " + result);
  }
}
