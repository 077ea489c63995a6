package io.bptemporal.ordersaga.e2e;

import static io.bptemporal.ordersaga.db.schema.Tables.INVENTORY_RESERVATIONS;
import static io.bptemporal.ordersaga.db.schema.Tables.NOTIFICATION_OUTBOX;
import static io.bptemporal.ordersaga.db.schema.Tables.ORDERS;
import static io.bptemporal.ordersaga.db.schema.Tables.PAYMENT_LEDGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.CancelRequest;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaOutcomes;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.OrderStatus;
import io.bptemporal.contracts.ordersaga.OrderStep;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.devstack.junit.RecordedHistories;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.ordersaga.cli.PlaceOrdersMain;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.HttpPaymentProvider;
import io.bptemporal.ordersaga.payment.PaymentProviderSettings;
import io.bptemporal.ordersaga.payment.PaymentProviderStub;
import io.bptemporal.ordersaga.workflow.SampleOrders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.failure.CanceledFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The saga end to end on the real Temporal server and PostgreSQL of the dev stack, with the HTTP
 * payment provider against a local stub: what the database and the provider hold after each path,
 * cancellation (signal and workflow cancel) while a charge is at the provider, repeating a whole
 * saga, the metric of compensations and the demo command.
 */
@ExtendWith(DevStackExtension.class)
class OrderSagaIT {
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static PaymentProviderStub provider;
  private static HttpPaymentProvider http;
  private static SimpleMeterRegistry meters;
  private static Scope metricsScope;
  private static SagaStack saga;
  private static StackEndpoints endpoints;

  @BeforeAll
  static void start(StackEndpoints stack) throws Exception {
    endpoints = stack;
    provider = PaymentProviderStub.start();
    http =
        new HttpPaymentProvider(
            new PaymentProviderSettings.Http(
                provider.baseUrl(),
                Optional.empty(),
                Duration.ofSeconds(5),
                16,
                Duration.ofSeconds(1),
                PaymentProviderSettings.Breaker.defaults(Duration.ofSeconds(5))));
    meters = new SimpleMeterRegistry();
    metricsScope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(meters))
            .reportEvery(com.uber.m3.util.Duration.ofMillis(100));
    saga =
        SagaStack.start(stack, "orders_e2e", "orders-e2e-" + RUN, http, Optional.of(metricsScope));
    new InventoryReservations(saga.sql())
        .ensureAvailable(Map.of("E2E-MUG", 100_000, "E2E-TEA", 100_000, "E2E-POSTER", 1));
  }

  @AfterAll
  static void stop() throws Exception {
    saga.close();
    metricsScope.close();
    http.close();
    provider.close();
  }

  @Test
  void aCompletedOrderLeavesExactlyOneRowPerEffect() {
    InventoryReservations inventory = new InventoryReservations(saga.sql());
    int mugsBefore = inventory.available("E2E-MUG").orElseThrow();

    OrderResult result = place(order("ok"));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.COMPLETED);
    String orderId = id("ok");
    DSLContext sql = saga.sql();
    assertThat(
            sql.select(ORDERS.STATUS)
                .from(ORDERS)
                .where(ORDERS.ORDER_ID.eq(orderId))
                .fetchSingle()
                .value1())
        .isEqualTo("CONFIRMED");
    assertThat(
            sql.fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq(orderId))
                .map(r -> r.getEntryKind() + " " + r.getReference()))
        .containsExactly("CHARGE " + result.paymentId().orElseThrow());
    assertThat(sql.fetchCount(INVENTORY_RESERVATIONS, INVENTORY_RESERVATIONS.ORDER_ID.eq(orderId)))
        .isEqualTo(1);
    assertThat(sql.fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.ORDER_ID.eq(orderId)))
        .isEqualTo(1);
    assertThat(inventory.available("E2E-MUG")).contains(mugsBefore - 2);
    assertThat(provider.chargesByOrder().get(orderId))
        .containsExactly(result.paymentId().orElseThrow());
    recordHistory("ok", "completed");
  }

  @Test
  void anOrderOutOfStockIsRefundedAndCancelledAndTheStockIsUntouched() throws Exception {
    InventoryReservations inventory = new InventoryReservations(saga.sql());
    int mugsBefore = inventory.available("E2E-MUG").orElseThrow();
    double refundsBefore = settledCompensations("refund-payment");

    OrderResult result =
        place(
            SampleOrders.withLines(
                id("oos"),
                "tok_visa_4242",
                List.of(new OrderLine("E2E-MUG", 1, 1299), new OrderLine("E2E-POSTER", 5, 2500))));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.FAILED);
    assertThat(result.compensationsRun())
        .containsExactly(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER);
    assertThat(result.reason())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .contains(
                        "RESERVE_INVENTORY failed: OutOfStock",
                        "E2E-POSTER requested 5, available 1"));
    DSLContext sql = saga.sql();
    assertThat(
            sql.select(ORDERS.STATUS)
                .from(ORDERS)
                .where(ORDERS.ORDER_ID.eq(id("oos")))
                .fetchSingle()
                .value1())
        .isEqualTo("CANCELLED");
    assertThat(
            sql.fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq(id("oos")))
                .map(r -> r.getEntryKind() + ":" + r.getAmountCents()))
        .containsExactlyInAnyOrder("CHARGE:13799", "REFUND:13799");
    assertThat(inventory.available("E2E-MUG")).contains(mugsBefore);
    assertThat(provider.chargesByOrder().get(id("oos"))).hasSize(1);
    assertThat(provider.refundsByOrder().get(id("oos"))).hasSize(1);
    awaitTrue(
        "bp_saga_compensations{step=refund-payment} counted",
        () -> compensations("refund-payment") == refundsBefore + 1);
    recordHistory("oos", "out-of-stock");
  }

  @Test
  void aDeclinedPaymentCancelsTheOrderAndChargesNothing() {
    OrderResult result =
        place(
            SampleOrders.withLines(
                id("declined"),
                "tok_insufficient_funds",
                List.of(new OrderLine("E2E-TEA", 1, 450))));

    assertThat(result.outcome()).isEqualTo(OrderOutcome.FAILED);
    assertThat(result.compensationsRun()).containsExactly(CompensationStep.CANCEL_ORDER);
    assertThat(result.reason())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .startsWith(
                        "CHARGE_PAYMENT failed: InsufficientFunds: payment provider refused the charge")
                    .contains("HTTP 402"));
    assertThat(saga.sql().fetchCount(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq(id("declined"))))
        .isZero();
    assertThat(provider.chargesByOrder()).doesNotContainKey(id("declined"));
    recordHistory("declined", "declined-payment");
  }

  @Test
  void aCancelSignalWhileTheChargeIsAtTheProviderWaitsForItThenRefunds() {
    provider.hangNext(1, Duration.ofSeconds(2));
    OrderSagaWorkflow workflow = stub(id("cancel-signal"));
    WorkflowClient.start(workflow::placeOrder, order("cancel-signal"));
    awaitTrue(
        "the charge reached the provider",
        () -> provider.requestsFor("payment.charge/" + id("cancel-signal")) > 0);

    OrderStatus during = workflow.status();
    workflow.cancel(new CancelRequest("customer request"));
    OrderResult result =
        OrderSagaOutcomes.resultOf(
            () -> WorkflowStub.fromTyped(workflow).getResult(OrderResult.class));

    assertThat(during.currentStep()).contains(OrderStep.CHARGE_PAYMENT);
    assertThat(during.completedSteps()).containsExactly(OrderStep.CREATE_ORDER);
    assertThat(result.outcome()).isEqualTo(OrderOutcome.CANCELLED);
    assertThat(result.reason()).contains("customer request");
    assertThat(result.compensationsRun())
        .containsExactly(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER);
    assertThat(
            saga.sql()
                .fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq(id("cancel-signal")))
                .map(r -> r.getEntryKind()))
        .containsExactlyInAnyOrder("CHARGE", "REFUND");
    assertThat(
            saga.sql()
                .fetchCount(
                    INVENTORY_RESERVATIONS,
                    INVENTORY_RESERVATIONS.ORDER_ID.eq(id("cancel-signal"))))
        .as("no step after the cancel")
        .isZero();
    recordHistory("cancel-signal", "cancel-signal");
  }

  @Test
  void cancellingTheWorkflowWhileTheChargeIsAtTheProviderWaitsForItCompensatesAndEndsCancelled() {
    provider.hangNext(1, Duration.ofSeconds(2));
    OrderSagaWorkflow workflow = stub(id("cancel-workflow"));
    WorkflowClient.start(workflow::placeOrder, order("cancel-workflow"));
    awaitTrue(
        "the charge reached the provider",
        () -> provider.requestsFor("payment.charge/" + id("cancel-workflow")) > 0);

    WorkflowStub untyped = WorkflowStub.fromTyped(workflow);
    untyped.cancel();

    assertThatThrownBy(() -> untyped.getResult(OrderResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(untyped.describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    OrderStatus status = workflow.status();
    assertThat(status.outcome()).isEqualTo(OrderOutcome.CANCELLED);
    assertThat(status.compensationsRun())
        .containsExactly(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER);
    // WAIT_CANCELLATION_COMPLETED: the refund ran after the charge had landed, so it found and
    // refunded it.
    assertThat(
            saga.sql()
                .fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq(id("cancel-workflow")))
                .map(r -> r.getEntryKind()))
        .containsExactlyInAnyOrder("CHARGE", "REFUND");
    assertThat(
            saga.sql()
                .select(ORDERS.STATUS)
                .from(ORDERS)
                .where(ORDERS.ORDER_ID.eq(id("cancel-workflow")))
                .fetchSingle()
                .value1())
        .isEqualTo("CANCELLED");
    recordHistory("cancel-workflow", "cancel-workflow");
  }

  @Test
  void placingACompletedOrderAgainRepeatsTheSagaWithoutRepeatingAnyEffect() {
    OrderResult first = place(order("again"));
    OrderResult second = place(order("again"));

    assertThat(second.outcome()).isEqualTo(OrderOutcome.COMPLETED);
    assertThat(second.paymentId()).isEqualTo(first.paymentId());
    assertThat(second.reservationId()).isEqualTo(first.reservationId());
    DSLContext sql = saga.sql();
    assertThat(sql.fetchCount(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq(id("again"))))
        .isEqualTo(1);
    assertThat(
            sql.fetchCount(INVENTORY_RESERVATIONS, INVENTORY_RESERVATIONS.ORDER_ID.eq(id("again"))))
        .isEqualTo(1);
    assertThat(sql.fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.ORDER_ID.eq(id("again"))))
        .isEqualTo(1);
    assertThat(provider.chargesByOrder().get(id("again"))).hasSize(1);
    assertThat(provider.requestsFor("payment.charge/" + id("again")))
        .as("the second saga found the ledger entry")
        .isEqualTo(1);
  }

  @Test
  void theDemoPlacesItsOrdersAndEachEndsAsExpectedTwiceInARow() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", endpoints.temporalAddress());
    env.put("TEMPORAL_TASK_QUEUE", saga.taskQueue());
    env.put("DB_URL", saga.database().url());
    env.put("DB_USER", saga.database().user());
    env.put("DB_PASSWORD", saga.database().password());
    env.put("TEMPORAL_UI_URL", "http://ui.example:8233/");
    env.putAll(endpoints.temporalClientEnv("order-demo"));

    for (int run = 1; run <= 2; run++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          PlaceOrdersMain.run(
              List.of("--demo"),
              Environment.of(env::get),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String printed = out.toString(StandardCharsets.UTF_8);
      System.out.println(
          "demo run " + run + ":\n" + printed + err.toString(StandardCharsets.UTF_8));

      assertThat(status).as("exit status of demo run " + run).isZero();
      assertThat(printed)
          .contains(
              "demo stock ensured",
              ": COMPLETED (total 3048",
              ": FAILED (total 13799",
              "compensations: REFUND_PAYMENT → CANCEL_ORDER",
              "compensations: CANCEL_ORDER",
              "reason: CHARGE_PAYMENT refused: OrderLimitExceeded",
              "http://ui.example:8233/namespaces/orders/workflows/order:o-demo-")
          .doesNotContain("UNEXPECTED");
      // One second between runs: the order IDs carry the run's time in seconds.
      Thread.sleep(1100);
    }
  }

  /**
   * The counter once the compensations of earlier tests (all finished) have been flushed: the SDK's
   * scope reports every 100 ms, so three intervals are enough.
   */
  private static double settledCompensations(String step) throws InterruptedException {
    // A fixed settle: no condition tells that every earlier compensation has been reported.
    Thread.sleep(300);
    return compensations(step);
  }

  private static double compensations(String step) {
    Counter counter = meters.find("bp_saga_compensations").tag("step", step).counter();
    return counter == null ? 0 : counter.count();
  }

  private static String id(String name) {
    return "o-e2e-" + RUN + "-" + name;
  }

  /** With -Dbp.record.histories=true (make record-histories): the saga's history for replay. */
  private static void recordHistory(String name, String scenario) {
    RecordedHistories.record(saga.client(), WorkflowIds.orderSaga(id(name)), scenario);
  }

  private static PlaceOrder order(String name) {
    return SampleOrders.withLines(
        id(name),
        "tok_visa_4242",
        List.of(new OrderLine("E2E-MUG", 2, 1299), new OrderLine("E2E-TEA", 1, 450)));
  }

  private static OrderSagaWorkflow stub(String orderId) {
    return saga.client()
        .newWorkflowStub(
            OrderSagaWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.orderSaga(orderId))
                .setTaskQueue(saga.taskQueue())
                .build());
  }

  private static OrderResult place(PlaceOrder order) {
    return OrderSagaOutcomes.resultOf(() -> stub(order.orderId()).placeOrder(order));
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
