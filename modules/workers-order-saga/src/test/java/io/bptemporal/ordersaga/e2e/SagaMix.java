package io.bptemporal.ordersaga.e2e;

import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.ordersaga.workflow.SampleOrders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The sagas of the crash and fault tests ({@link OrderSagaCrashIT}, {@link OrderSagaFaultsIT}):
 * kinds whose end is known in advance, shuffled with the test's seed. Normal and cancelled orders
 * take plentiful SKUs; scarce orders compete for {@code scarceStock} units of one SKU; declined
 * orders pay with a token the provider refuses.
 *
 * @param label names the run's SKUs and order IDs (e.g. "crash", "faults")
 * @param run makes the run's order IDs and scarce SKU unique on a reused stack
 */
record SagaMix(
    String label,
    String run,
    int normal,
    int scarce,
    int scarceStock,
    int declined,
    int cancelled) {

  enum Kind {
    /** Completes. */
    NORMAL,
    /** Completes while stock lasts; then out of stock, refunded and cancelled. */
    SCARCE,
    /** Payment declined; the order is cancelled. */
    DECLINED,
    /**
     * Gets a {@code cancel} signal at a random moment after its start: cancelled (compensated) if
     * it came before the confirmation started, else completed (the signal is rejected by design).
     */
    CANCELLED
  }

  record Saga(Kind kind, PlaceOrder order) {
    String orderId() {
      return order.orderId();
    }

    String workflowId() {
      return WorkflowIds.orderSaga(order.orderId());
    }
  }

  int total() {
    return normal + scarce + declined + cancelled;
  }

  String mugSku() {
    return label.toUpperCase(java.util.Locale.ROOT) + "-MUG";
  }

  String teaSku() {
    return label.toUpperCase(java.util.Locale.ROOT) + "-TEA";
  }

  String scarceSku() {
    return label.toUpperCase(java.util.Locale.ROOT) + "-SCARCE-" + run;
  }

  /** The stock each SKU is seeded with before the run. */
  Map<String, Integer> stock() {
    return Map.of(mugSku(), 1_000_000, teaSku(), 1_000_000, scarceSku(), scarceStock);
  }

  List<Saga> sagas(Random random) {
    List<Saga> sagas = new ArrayList<>();
    String prefix = "o-" + label + "-" + run + "-";
    List<OrderLine> basket =
        List.of(new OrderLine(mugSku(), 2, 1299), new OrderLine(teaSku(), 1, 450));
    for (int i = 0; i < normal; i++) {
      sagas.add(
          new Saga(Kind.NORMAL, SampleOrders.withLines(prefix + "n" + i, "tok_visa_4242", basket)));
    }
    for (int i = 0; i < scarce; i++) {
      sagas.add(
          new Saga(
              Kind.SCARCE,
              SampleOrders.withLines(
                  prefix + "s" + i,
                  "tok_visa_4242",
                  List.of(new OrderLine(mugSku(), 1, 1299), new OrderLine(scarceSku(), 1, 9900)))));
    }
    for (int i = 0; i < declined; i++) {
      sagas.add(
          new Saga(
              Kind.DECLINED,
              SampleOrders.withLines(
                  prefix + "d" + i,
                  "tok_insufficient_funds",
                  List.of(new OrderLine(teaSku(), 1, 450)))));
    }
    for (int i = 0; i < cancelled; i++) {
      sagas.add(
          new Saga(
              Kind.CANCELLED, SampleOrders.withLines(prefix + "c" + i, "tok_visa_4242", basket)));
    }
    Collections.shuffle(sagas, random);
    return sagas;
  }
}
