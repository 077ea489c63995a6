package io.bptemporal.ordersaga.activities;

import static io.bptemporal.ordersaga.db.schema.Tables.INVENTORY_RESERVATIONS;
import static io.bptemporal.ordersaga.db.schema.Tables.NOTIFICATION_OUTBOX;
import static io.bptemporal.ordersaga.db.schema.Tables.ORDERS;
import static io.bptemporal.ordersaga.db.schema.Tables.ORDER_LINES;
import static io.bptemporal.ordersaga.db.schema.Tables.PAYMENT_LEDGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.ConfirmationSent;
import io.bptemporal.contracts.ordersaga.InventoryReservation;
import io.bptemporal.contracts.ordersaga.OrderCreated;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.PaymentReceipt;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.ordersaga.RefundPayment;
import io.bptemporal.contracts.ordersaga.ReleaseInventory;
import io.bptemporal.contracts.ordersaga.ReserveInventory;
import io.bptemporal.contracts.ordersaga.SendConfirmation;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.BusinessFailure;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.LedgerOnlyProvider;
import io.bptemporal.ordersaga.payment.PaymentProvider;
import io.bptemporal.ordersaga.workflow.SampleOrders;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The activities against the real PostgreSQL of the dev stack: every effect happens once however
 * often the activity runs, reservations are all-or-none and never oversell, and compensations that
 * run before their step fence it off.
 */
@ExtendWith(DevStackExtension.class)
class OrderActivitiesIT {
  private static HikariDataSource pool;
  private static DSLContext sql;
  private static InventoryReservations inventory;
  private static final CountingProvider provider = new CountingProvider();
  private static OrderActivitiesImpl activities;

  @BeforeAll
  static void database(StackEndpoints stack) {
    String url = stack.postgres().ensureDatabase("orders_it", "orders_it", "pw");
    pool = Databases.pool(new DatabaseSettings(url, "orders_it", "pw", 12), "orders-it");
    OrdersSchema.migrate(pool);
    sql = OrdersSchema.dsl(pool);
    inventory = new InventoryReservations(sql);
    activities = new OrderActivitiesImpl(pool, provider);
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Test
  void migratingAgainFindsNothingToDo() {
    assertThat(OrdersSchema.migrate(pool).migrationsExecuted).isZero();
  }

  @Test
  void createOrderStoresTheOrderOnceHoweverOftenItRuns() {
    PlaceOrder order = SampleOrders.mugAndTea("it-create-1");

    OrderCreated first = activities.createOrder(order);
    OrderCreated again = activities.createOrder(order);

    assertThat(first).isEqualTo(again).isEqualTo(new OrderCreated("it-create-1", 3048));
    assertThat(sql.fetchCount(ORDERS, ORDERS.ORDER_ID.eq("it-create-1"))).isEqualTo(1);
    assertThat(sql.fetchCount(ORDER_LINES, ORDER_LINES.ORDER_ID.eq("it-create-1"))).isEqualTo(2);
    assertThat(
            sql.select(ORDERS.CREATE_KEY)
                .from(ORDERS)
                .where(ORDERS.ORDER_ID.eq("it-create-1"))
                .fetchSingle()
                .value1())
        .isEqualTo("order.create/it-create-1");
  }

  @Test
  void theSameOrderIdWithOtherContentIsRefusedSayingWhatDiffers() {
    activities.createOrder(SampleOrders.mugAndTea("it-create-2"));
    PlaceOrder other =
        SampleOrders.withLines(
            "it-create-2", "tok_visa_4242", List.of(new OrderLine("SKU-RED-MUG", 5, 1299)));

    assertRefused(
        () -> activities.createOrder(other),
        BusinessFailure.ORDER_CONFLICT,
        "order it-create-2 already exists with different content: lines are");
  }

  @Test
  void anInvalidOrderIsRefusedWithEveryViolation() {
    PlaceOrder invalid =
        new PlaceOrder(
            "it-create-3",
            "c-42",
            List.of(new OrderLine("SKU-RED-MUG", 0, 1299)),
            "EURO",
            SampleOrders.mugAndTea("x").paymentMethod());

    assertRefused(
        () -> activities.createOrder(invalid),
        BusinessFailure.INVALID_ORDER,
        "(2 violations)",
        "$.lines[0].quantity",
        "$.currency");
    assertThat(sql.fetchCount(ORDERS, ORDERS.ORDER_ID.eq("it-create-3"))).isZero();
  }

  @Test
  void aCancelledOrderIsNotPlacedAgain() {
    activities.createOrder(SampleOrders.mugAndTea("it-create-4"));
    assertThat(activities.cancelOrder(new CancelOrder("it-create-4", "test")).applied()).isTrue();

    assertRefused(
        () -> activities.createOrder(SampleOrders.mugAndTea("it-create-4")),
        BusinessFailure.ORDER_CLOSED,
        "order it-create-4 was cancelled (test)");
  }

  @Test
  void cancelOrderAppliesOnceAndFindsNothingForAnUnknownOrder() {
    activities.createOrder(SampleOrders.mugAndTea("it-cancel-1"));

    assertThat(activities.cancelOrder(new CancelOrder("it-cancel-1", "first")).applied()).isTrue();
    assertThat(activities.cancelOrder(new CancelOrder("it-cancel-1", "second")).applied())
        .isFalse();
    assertThat(activities.cancelOrder(new CancelOrder("it-cancel-unknown", "x")).applied())
        .isFalse();
    var row = sql.selectFrom(ORDERS).where(ORDERS.ORDER_ID.eq("it-cancel-1")).fetchSingle();
    assertThat(row.getStatus()).isEqualTo("CANCELLED");
    assertThat(row.getCancelReason()).isEqualTo("first");
    assertThat(row.getCancelKey()).isEqualTo("order.cancel/it-cancel-1");
  }

  @Test
  void aChargeIsRecordedOnceAndARetryReturnsTheSamePayment() {
    provider.reset();
    PaymentReceipt first = activities.chargePayment(charge("it-pay-1", "tok_visa_4242"));
    PaymentReceipt again = activities.chargePayment(charge("it-pay-1", "tok_visa_4242"));

    assertThat(again).isEqualTo(first);
    assertThat(first.paymentId()).startsWith("pay_");
    assertThat(provider.charges.get())
        .as("the retry found the ledger entry and did not call the provider")
        .isEqualTo(1);
    assertThat(sql.fetchCount(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq("it-pay-1"))).isEqualTo(1);
  }

  @Test
  void concurrentAttemptsOfOneChargeRecordOneEntry() throws Exception {
    List<PaymentReceipt> receipts =
        concurrently(8, i -> activities.chargePayment(charge("it-pay-2", "tok_visa_4242")));

    assertThat(receipts).hasSize(8).allMatch(receipts.get(0)::equals);
    assertThat(sql.fetchCount(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq("it-pay-2"))).isEqualTo(1);
  }

  @Test
  void aDeclineLeavesNoLedgerEntry() {
    assertRefused(
        () ->
            activities.chargePayment(
                charge("it-pay-3", LedgerOnlyProvider.INSUFFICIENT_FUNDS_TOKEN)),
        BusinessFailure.INSUFFICIENT_FUNDS,
        "declined: insufficient funds");
    assertThat(sql.fetchCount(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq("it-pay-3"))).isZero();
  }

  @Test
  void aRefundAppliesOnce() {
    activities.chargePayment(charge("it-pay-4", "tok_visa_4242"));

    CompensationResult first =
        activities.refundPayment(new RefundPayment("it-pay-4", 3048, "EUR", "test"));
    CompensationResult again =
        activities.refundPayment(new RefundPayment("it-pay-4", 3048, "EUR", "test"));

    assertThat(first.applied()).isTrue();
    assertThat(again.applied()).isFalse();
    assertThat(
            sql.fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq("it-pay-4"))
                .map(r -> r.getEntryKind()))
        .containsExactlyInAnyOrder("CHARGE", "REFUND");
  }

  @Test
  void aRefundBeforeTheChargeVoidsThePaymentAndTheChargeThenRefusesWithoutCallingTheProvider() {
    provider.reset();
    CompensationResult refund =
        activities.refundPayment(new RefundPayment("it-pay-5", 3048, "EUR", "cancelled: test"));

    assertThat(refund.applied()).isFalse();
    assertRefused(
        () -> activities.chargePayment(charge("it-pay-5", "tok_visa_4242")),
        BusinessFailure.PAYMENT_VOIDED,
        "was refunded or voided by a compensation");
    assertThat(provider.charges.get()).isZero();
    assertThat(
            sql.fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq("it-pay-5"))
                .map(r -> r.getEntryKind()))
        .containsExactly("VOID");
  }

  @Test
  void aChargeThatLandsAfterTheVoidIsRefundedAtOnce() {
    // The compensation runs while this attempt is at the provider (an attempt that outlived its
    // timeout).
    provider.reset();
    provider.duringNextCharge.set(
        () -> activities.refundPayment(new RefundPayment("it-pay-6", 3048, "EUR", "timeout")));

    assertRefused(
        () -> activities.chargePayment(charge("it-pay-6", "tok_visa_4242")),
        BusinessFailure.PAYMENT_VOIDED,
        "order is not charged");

    assertThat(provider.charges.get()).isEqualTo(1);
    assertThat(provider.refunds.get()).as("the money went back").isEqualTo(1);
    assertThat(
            sql.fetch(PAYMENT_LEDGER, PAYMENT_LEDGER.ORDER_ID.eq("it-pay-6"))
                .map(r -> r.getEntryKind() + ":" + r.getAmountCents()))
        .containsExactlyInAnyOrder("CHARGE:3048", "REFUND:3048");
  }

  @Test
  void aReservationTakesAllLinesOrNone() {
    inventory.ensureAvailable(Map.of("IT-ALL-A", 5, "IT-ALL-B", 1));
    ReserveInventory request =
        new ReserveInventory(
            "it-res-1",
            List.of(new OrderLine("IT-ALL-A", 2, 100), new OrderLine("IT-ALL-B", 3, 100)));

    assertRefused(
        () -> activities.reserveInventory(request),
        BusinessFailure.OUT_OF_STOCK,
        "out of stock for order it-res-1: IT-ALL-B requested 3, available 1; nothing was reserved");
    assertThat(inventory.available("IT-ALL-A"))
        .as("the line that fitted was not taken either")
        .contains(5);
    assertThat(inventory.available("IT-ALL-B")).contains(1);
    assertThat(
            sql.fetchCount(INVENTORY_RESERVATIONS, INVENTORY_RESERVATIONS.ORDER_ID.eq("it-res-1")))
        .isZero();
  }

  @Test
  void anUnknownSkuIsRefused() {
    inventory.ensureAvailable(Map.of("IT-KNOWN", 5));
    ReserveInventory request =
        new ReserveInventory(
            "it-res-2",
            List.of(
                new OrderLine("IT-KNOWN", 1, 100), new OrderLine("IT-NOBODY-SELLS-THIS", 1, 100)));

    assertRefused(
        () -> activities.reserveInventory(request),
        BusinessFailure.UNKNOWN_SKU,
        "IT-NOBODY-SELLS-THIS");
    assertThat(inventory.available("IT-KNOWN")).contains(5);
  }

  @Test
  void aReservationRetriedConcurrentlyTakesTheStockOnce() throws Exception {
    inventory.ensureAvailable(Map.of("IT-RETRY", 10));
    ReserveInventory request =
        new ReserveInventory("it-res-3", List.of(new OrderLine("IT-RETRY", 3, 100)));

    List<InventoryReservation> results = concurrently(8, i -> activities.reserveInventory(request));

    assertThat(results).allMatch(results.get(0)::equals);
    assertThat(inventory.available("IT-RETRY")).contains(7);
  }

  @Test
  void concurrentOrdersNeverOversell() throws Exception {
    inventory.ensureAvailable(Map.of("IT-SCARCE", 10, "IT-PLENTY", 1000));
    AtomicInteger outOfStock = new AtomicInteger();

    List<Boolean> reserved =
        concurrently(
            25,
            i -> {
              try {
                activities.reserveInventory(
                    new ReserveInventory(
                        "it-scarce-" + i,
                        List.of(
                            new OrderLine("IT-PLENTY", 1, 100),
                            new OrderLine("IT-SCARCE", 1, 100))));
                return true;
              } catch (ApplicationFailure failure) {
                assertThat(failure.getType()).isEqualTo(BusinessFailure.OUT_OF_STOCK.type());
                outOfStock.incrementAndGet();
                return false;
              }
            });

    assertThat(reserved.stream().filter(r -> r).count()).isEqualTo(10);
    assertThat(outOfStock).hasValue(15);
    assertThat(inventory.available("IT-SCARCE")).contains(0);
    assertThat(inventory.available("IT-PLENTY"))
        .as("refused orders took none of their other line")
        .contains(990);
  }

  @Test
  void aReleaseReturnsTheStockOnce() {
    inventory.ensureAvailable(Map.of("IT-REL", 4));
    activities.reserveInventory(
        new ReserveInventory("it-rel-1", List.of(new OrderLine("IT-REL", 3, 100))));

    CompensationResult first =
        activities.releaseInventory(new ReleaseInventory("it-rel-1", "test"));
    CompensationResult again =
        activities.releaseInventory(new ReleaseInventory("it-rel-1", "test"));

    assertThat(first.applied()).isTrue();
    assertThat(again.applied()).isFalse();
    assertThat(inventory.available("IT-REL")).contains(4);
  }

  @Test
  void aReleaseBeforeTheReservationFencesItOff() {
    inventory.ensureAvailable(Map.of("IT-FENCE", 4));

    assertThat(
            activities
                .releaseInventory(new ReleaseInventory("it-rel-2", "cancelled: test"))
                .applied())
        .isFalse();
    assertRefused(
        () ->
            activities.reserveInventory(
                new ReserveInventory("it-rel-2", List.of(new OrderLine("IT-FENCE", 1, 100)))),
        BusinessFailure.RESERVATION_RELEASED,
        "was released by a compensation");
    assertThat(inventory.available("IT-FENCE")).contains(4);
  }

  @Test
  void theConfirmationIsQueuedOnceAndConfirmsTheOrder() throws Exception {
    activities.createOrder(SampleOrders.mugAndTea("it-conf-1"));
    SendConfirmation request = new SendConfirmation("it-conf-1", "c-42", "pay_x", "res_y");

    ConfirmationSent first = activities.sendConfirmation(request);
    List<ConfirmationSent> retries = concurrently(4, i -> activities.sendConfirmation(request));

    assertThat(retries).allMatch(first::equals);
    assertThat(first.messageId()).startsWith("msg_");
    var message =
        sql.selectFrom(NOTIFICATION_OUTBOX)
            .where(NOTIFICATION_OUTBOX.ORDER_ID.eq("it-conf-1"))
            .fetchSingle();
    assertThat(message.getIdempotencyKey()).isEqualTo("order.confirmation/it-conf-1");
    JsonNode payload = new ObjectMapper().readTree(message.getPayload().data());
    assertThat(payload.get("total_cents").asLong()).isEqualTo(3048);
    assertThat(payload.get("payment_id").asText()).isEqualTo("pay_x");
    assertThat(
            sql.select(ORDERS.STATUS)
                .from(ORDERS)
                .where(ORDERS.ORDER_ID.eq("it-conf-1"))
                .fetchSingle()
                .value1())
        .isEqualTo("CONFIRMED");
    assertThat(activities.cancelOrder(new CancelOrder("it-conf-1", "too late")).applied())
        .as("a confirmed order is not cancelled by a compensation")
        .isFalse();
  }

  @Test
  void aCancelledOrderIsNotConfirmed() {
    activities.createOrder(SampleOrders.mugAndTea("it-conf-2"));
    activities.cancelOrder(new CancelOrder("it-conf-2", "customer request"));

    assertRefused(
        () -> activities.sendConfirmation(new SendConfirmation("it-conf-2", "c-42", "p", "r")),
        BusinessFailure.ORDER_CLOSED,
        "no confirmation is sent");
    assertThat(sql.fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.ORDER_ID.eq("it-conf-2")))
        .isZero();
  }

  @Test
  void seedingStockIsIdempotentAndNeverLowersIt() {
    inventory.ensureAvailable(Map.of("IT-SEED", 5));
    inventory.ensureAvailable(Map.of("IT-SEED", 5));
    assertThat(inventory.available("IT-SEED")).contains(5);
    inventory.ensureAvailable(Map.of("IT-SEED", 3));
    assertThat(inventory.available("IT-SEED")).contains(5);
    inventory.ensureAvailable(Map.of("IT-SEED", 9));
    assertThat(inventory.available("IT-SEED")).contains(9);
  }

  private static ChargePayment charge(String orderId, String token) {
    return new ChargePayment(
        orderId,
        "c-42",
        3048,
        "EUR",
        SampleOrders.withLines(orderId, token, List.of()).paymentMethod());
  }

  private static void assertRefused(
      ThrowableAssert.ThrowingCallable call, BusinessFailure type, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(type.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains(messageParts);
            });
  }

  private interface Attempt<T> {
    T run(int index) throws Exception;
  }

  private static <T> List<T> concurrently(int attempts, Attempt<T> attempt) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(attempts);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        int index = i;
        Callable<T> call = () -> attempt.run(index);
        futures.add(threads.submit(call));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * The ledger-only provider, counted, with a hook that runs while a charge is "at the provider".
   */
  private static final class CountingProvider implements PaymentProvider {
    private final LedgerOnlyProvider ledger = new LedgerOnlyProvider();
    final AtomicInteger charges = new AtomicInteger();
    final AtomicInteger refunds = new AtomicInteger();
    final AtomicReference<Runnable> duringNextCharge = new AtomicReference<>();

    void reset() {
      charges.set(0);
      refunds.set(0);
    }

    @Override
    public String name() {
      return "ledger";
    }

    @Override
    public String charge(IdempotencyKey key, ChargePayment request) {
      String reference = ledger.charge(key, request);
      charges.incrementAndGet();
      Runnable hook = duringNextCharge.getAndSet(null);
      if (hook != null) {
        hook.run();
      }
      return reference;
    }

    @Override
    public String refund(
        IdempotencyKey key,
        String orderId,
        String paymentId,
        long amountCents,
        String currency,
        String reason) {
      refunds.incrementAndGet();
      return ledger.refund(key, orderId, paymentId, amountCents, currency, reason);
    }
  }
}
