package io.bptemporal.bench.saga;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.PaymentMethod;
import io.bptemporal.contracts.ordersaga.PaymentMethodType;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one load driver of the saga benchmark, the same for every contender: {@code concurrency}
 * closed-loop clients, each starting a saga by its contract name ({@value
 * OrderSagaWorkflow#WORKFLOW_TYPE}) on the contender's task queue and waiting for its result before
 * starting the next, until {@code sagas} sagas ended. A saga's latency is from just before its
 * start request to its result: what a caller of the platform waits.
 */
public final class SagaLoad {
  /** Orders spread over this many SKUs, so that stock updates do not queue on one row. */
  public static final int SKUS = 64;

  /** A saga that has not ended by then counts as failed (a stuck worker must not hang the run). */
  private static final Duration SAGA_TIMEOUT = Duration.ofMinutes(2);

  private final WorkflowClient client;

  public SagaLoad(WorkflowClient client) {
    this.client = client;
  }

  public static String sku(int i) {
    return "BENCH-SKU-" + (i % SKUS);
  }

  /** One run; {@code idPrefix} makes the order IDs (and so the workflow IDs) unique. */
  public SagaRun run(
      String contender, String taskQueue, int concurrency, int sagas, int round, String idPrefix)
      throws InterruptedException {
    long[] latencies = new long[sagas];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long started = System.nanoTime();
    // Virtual threads: a blocked client costs nothing, so 128 of them load the server, not the
    // driver.
    try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < concurrency; c++) {
        clients.submit(
            () -> {
              for (int k = next.getAndIncrement(); k < sagas; k = next.getAndIncrement()) {
                long began = System.nanoTime();
                Optional<String> failure = placeOrder(taskQueue, idPrefix + "-" + k, k);
                latencies[k] = System.nanoTime() - began;
                if (failure.isPresent()) {
                  failed.incrementAndGet();
                  latencies[k] = -1;
                  if (failures.size() < 3) {
                    failures.add(failure.get());
                  }
                }
              }
            });
      }
    }
    long wall = System.nanoTime() - started;
    return new SagaRun(
        contender,
        concurrency,
        round,
        sagas,
        failed.get(),
        wall,
        java.util.Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray(),
        List.copyOf(failures),
        -1);
  }

  /** Empty when the saga completed; else what went wrong. */
  private Optional<String> placeOrder(String taskQueue, String orderId, int k) {
    PlaceOrder order =
        new PlaceOrder(
            orderId,
            "bench-customer",
            List.of(new OrderLine(sku(k), 1, 1_999)),
            "EUR",
            new PaymentMethod(PaymentMethodType.CARD, "tok_bench"));
    WorkflowStub saga =
        client.newUntypedWorkflowStub(
            OrderSagaWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId(WorkflowIds.orderSaga(orderId))
                .setWorkflowExecutionTimeout(SAGA_TIMEOUT)
                .build());
    try {
      saga.start(order);
      JsonNode result = saga.getResult(JsonNode.class);
      String outcome = result.path("outcome").asText();
      return "COMPLETED".equals(outcome)
          ? Optional.empty()
          : Optional.of(orderId + " ended " + outcome + ": " + result);
    } catch (RuntimeException e) {
      return Optional.of(orderId + ": " + e + (e.getCause() == null ? "" : " ← " + e.getCause()));
    }
  }
}
