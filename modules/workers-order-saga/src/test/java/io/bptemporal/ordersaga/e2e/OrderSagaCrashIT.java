package io.bptemporal.ordersaga.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaOutcomes;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.PaymentProviderStub;
import io.bptemporal.ordersaga.worker.OrderSagaWorkerMain;
import io.bptemporal.ordersaga.workflow.SampleOrders;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The crash test: 60 sagas run while the worker, a separate OS process, is killed with SIGKILL four
 * times and restarted each time — twice at a random moment, twice at the worst one (a charge at the
 * provider). Afterwards every saga must have ended completed or compensated (none stuck), and the
 * database and the payment provider must show no effect twice: no order charged twice, no stock
 * taken twice, no confirmation queued twice, and money and stock must balance. The kill moments
 * come from a seed that is printed; {@code -Dbp.crash.seed=<seed>} repeats them.
 */
@ExtendWith(DevStackExtension.class)
class OrderSagaCrashIT {
  private static final int NORMAL = 40;
  private static final int SCARCE = 10;
  private static final int SCARCE_STOCK = 5;
  private static final int DECLINED = 10;
  private static final int KILLS = 4;
  private static final Duration START_SPREAD = Duration.ofSeconds(24);
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(150);

  private enum Kind {
    NORMAL,
    SCARCE,
    DECLINED
  }

  private record Saga(Kind kind, PlaceOrder order) {}

  @Test
  void everySagaEndsCompletedOrCompensatedAndNoEffectHappensTwiceWhileTheWorkerIsKilled(
      StackEndpoints stack) throws Exception {
    long seed = Long.getLong("bp.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    String run = Long.toString(System.currentTimeMillis(), 36);
    System.out.println(
        "crash test seed=" + seed + " (repeat the kill moments with -Dbp.crash.seed=" + seed + ")");
    Path logs = Files.createDirectories(Path.of("target/crash-test"));

    String url = stack.postgres().ensureDatabase("orders_crash", "orders_crash", "pw");
    String scarceSku = "CRASH-SCARCE-" + run;
    Map<String, Integer> seeded =
        Map.of("CRASH-MUG", 1_000_000, "CRASH-TEA", 1_000_000, scarceSku, SCARCE_STOCK);
    String taskQueue = "orders-crash-" + run;
    try (HikariDataSource pool =
            Databases.pool(new DatabaseSettings(url, "orders_crash", "pw", 4), "crash-it");
        PaymentProviderStub provider = PaymentProviderStub.start();
        TemporalConnection connection =
            TemporalConnection.open(
                new TemporalSettings(
                    stack.temporalAddress(),
                    Namespaces.ORDERS.name(),
                    taskQueue,
                    Optional.empty(),
                    Optional.empty()),
                Optional.empty())) {
      OrdersSchema.migrate(pool);
      InventoryReservations inventory = new InventoryReservations(OrdersSchema.dsl(pool));
      inventory.ensureAvailable(seeded);
      Map<String, Integer> stockBefore = new HashMap<>();
      for (String sku : seeded.keySet()) {
        stockBefore.put(sku, inventory.available(sku).orElseThrow());
      }
      // Slow enough that kills land while charges are at the provider and activities are in flight.
      provider.latency(Duration.ofMillis(100), Duration.ofMillis(700));
      Map<String, String> env =
          Map.ofEntries(
              Map.entry("TEMPORAL_ADDRESS", stack.temporalAddress()),
              Map.entry("TEMPORAL_NAMESPACE", Namespaces.ORDERS.name()),
              Map.entry("TEMPORAL_TASK_QUEUE", taskQueue),
              Map.entry("DB_URL", url),
              Map.entry("DB_USER", "orders_crash"),
              Map.entry("DB_PASSWORD", "pw"),
              Map.entry("DB_POOL_SIZE", "8"),
              Map.entry("PAYMENT_PROVIDER_URL", provider.baseUrl().toString()),
              Map.entry("PAYMENT_PROVIDER_TIMEOUT_MS", "3000"),
              Map.entry("LOG_FORMAT", "text"),
              Map.entry("SHUTDOWN_GRACE_SECONDS", "5"));
      WorkflowClient client = connection.client(List.of());

      List<Saga> sagas = sagas(run, scarceSku, random);
      Map<String, CompletableFuture<OrderResult>> results = new ConcurrentHashMap<>();
      int incarnation = 1;
      WorkerProcess worker =
          WorkerProcess.start(
              "order-saga-worker",
              WorkerProcess.moduleCommand(
                  Path.of("").toAbsolutePath(),
                  OrderSagaWorkerMain.class.getName(),
                  List.of("-Xmx256m")),
              env,
              logs.resolve("worker-" + run + "-" + incarnation + ".log"));
      worker.awaitReady(Duration.ofSeconds(90));

      Thread starter =
          Thread.ofPlatform()
              .name("saga-starter")
              .start(
                  () -> {
                    long pause = START_SPREAD.toMillis() / sagas.size();
                    for (Saga saga : sagas) {
                      WorkflowStub stub =
                          client.newUntypedWorkflowStub(
                              OrderSagaWorkflow.WORKFLOW_TYPE,
                              WorkflowOptions.newBuilder()
                                  .setWorkflowId(WorkflowIds.orderSaga(saga.order().orderId()))
                                  .setTaskQueue(taskQueue)
                                  .build());
                      stub.start(saga.order());
                      results.put(saga.order().orderId(), stub.getResultAsync(OrderResult.class));
                      try {
                        // Paces the starts over START_SPREAD: a fixed wait, not a condition.
                        Thread.sleep(pause);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                    }
                  });

      List<String> killLog = new ArrayList<>();
      for (int kill = 1; kill <= KILLS; kill++) {
        long upFor = 5_000 + random.nextInt(4_000);
        // The worker's random time up before the kill (from the seed): a fixed wait, not a
        // condition.
        Thread.sleep(upFor);
        // Even kills wait (at most 5 s more) for the worst moment: a charge at the provider whose
        // answer
        // the worker will never hear. Odd kills land wherever the random moment falls.
        boolean worstMoment = kill % 2 == 0;
        long waitStart = System.nanoTime();
        int atProvider = provider.chargesInFlight();
        if (worstMoment && atProvider == 0) {
          try {
            atProvider =
                Awaitility.await("a charge at the provider")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(5))
                    .until(provider::chargesInFlight, inFlight -> inFlight > 0);
          } catch (ConditionTimeoutException none) {
            atProvider = provider.chargesInFlight(); // no charge came: the kill lands now anyway
          }
        }
        long waited = (System.nanoTime() - waitStart) / 1_000_000;
        long open = results.values().stream().filter(r -> !r.isDone()).count();
        worker.kill();
        killLog.add(
            String.format(
                "kill %d: SIGKILL pid %d after %.1f s up%s, %d sagas open of %d started,"
                    + " %d charges at the provider",
                kill,
                worker.pid(),
                (upFor + waited) / 1000.0,
                worstMoment ? " (waited for a charge in flight)" : " (random moment)",
                open,
                results.size(),
                atProvider));
        System.out.println(killLog.get(killLog.size() - 1));
        incarnation++;
        worker =
            WorkerProcess.start(
                "order-saga-worker",
                WorkerProcess.moduleCommand(
                    Path.of("").toAbsolutePath(),
                    OrderSagaWorkerMain.class.getName(),
                    List.of("-Xmx256m")),
                env,
                logs.resolve("worker-" + run + "-" + incarnation + ".log"));
        worker.awaitReady(Duration.ofSeconds(90));
      }
      starter.join(START_SPREAD.plusSeconds(30).toMillis());
      assertThat(results).as("every saga was started").hasSize(sagas.size());

      // Drain: every saga must end within a bounded time (retries after the last kill take up to 15
      // s).
      long deadline = System.nanoTime() + DRAIN_DEADLINE.toNanos();
      Map<String, OrderResult> ended = new LinkedHashMap<>();
      List<String> stuck = new ArrayList<>();
      List<String> broken = new ArrayList<>();
      for (Saga saga : sagas) {
        String orderId = saga.order().orderId();
        long left = Math.max(1, deadline - System.nanoTime());
        try {
          ended.put(orderId, results.get(orderId).get(left, TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
          stuck.add(orderId);
        } catch (java.util.concurrent.ExecutionException e) {
          // A refused order is a failed saga carrying its OrderResult (docs/contracts.md,
          // "Errors").
          java.util.Optional<OrderResult> refused = OrderSagaOutcomes.fromFailure(e.getCause());
          if (refused.isPresent()) {
            ended.put(orderId, refused.get());
          } else {
            broken.add(orderId + ": " + e.getCause());
          }
        }
      }
      int exitStatus = worker.terminate(Duration.ofSeconds(20));

      Report report =
          report(
              sagas,
              ended,
              stuck,
              broken,
              client,
              OrdersSchema.dsl(pool),
              provider,
              stockBefore,
              inventory,
              seeded.keySet());
      System.out.println(
          """

                    ==== order saga crash test (seed %d) ====
                    worker killed with SIGKILL %d times and restarted; logs in %s
                    %s
                    sagas: %d started, %d completed, %d compensated, %d stuck, %d ended abnormally
                      normal: %d/%d completed · scarce (%d in stock): %d completed, %d compensated · declined: %d/%d compensated
                    recovery: %d activity attempts retried, %d workflow tasks timed out (lost with a killed worker)
                    tasks per worker process (workflow + activity tasks started): %s
                    duplicates: charges %d (ledger) / %d (provider: orders charged under more than one payment) · reservations %d · notifications %d
                    balance: orders whose money does not add up %d · SKUs whose stock does not add up %d · notifications for orders not completed %d · completed orders without one %d
                    provider: %d requests, %d idempotency keys, %d requests repeated a key (answered from the first call)
                    last worker stopped by SIGTERM with exit status %d
                    """
              .formatted(
                  seed,
                  KILLS,
                  logs.toAbsolutePath(),
                  String.join("\n", killLog),
                  sagas.size(),
                  report.completed,
                  report.compensated,
                  stuck.size(),
                  broken.size(),
                  report.normalCompleted,
                  NORMAL,
                  SCARCE_STOCK,
                  report.scarceCompleted,
                  report.scarceCompensated,
                  report.declinedCompensated,
                  DECLINED,
                  report.retriedAttempts,
                  report.timedOutWorkflowTasks,
                  report.tasksByWorker,
                  report.duplicateCharges,
                  provider.ordersChargedMoreThanOnce(),
                  report.duplicateReservations,
                  report.duplicateNotifications,
                  report.unbalancedOrders,
                  report.unbalancedSkus,
                  report.notificationsForIncomplete,
                  report.completedWithoutNotification,
                  provider.requests(),
                  provider.idempotencyKeys().stream().distinct().count(),
                  provider.idempotencyKeys().size()
                      - provider.idempotencyKeys().stream().distinct().count(),
                  exitStatus));

      assertThat(stuck).as("sagas not ended within " + DRAIN_DEADLINE).isEmpty();
      assertThat(broken).as("sagas that ended without a result").isEmpty();
      assertThat(report.normalCompleted).as("normal orders completed").isEqualTo(NORMAL);
      assertThat(report.scarceCompleted)
          .as("scarce orders completed (stock " + SCARCE_STOCK + ")")
          .isEqualTo(SCARCE_STOCK);
      assertThat(report.scarceCompensated)
          .as("scarce orders compensated")
          .isEqualTo(SCARCE - SCARCE_STOCK);
      assertThat(report.declinedCompensated).as("declined orders compensated").isEqualTo(DECLINED);
      assertThat(report.duplicateCharges).as("orders charged twice in the ledger").isZero();
      assertThat(provider.ordersChargedMoreThanOnce())
          .as("orders charged twice at the provider")
          .isZero();
      assertThat(report.duplicateReservations).as("orders with two reservations").isZero();
      assertThat(report.duplicateNotifications).as("orders with two confirmations").isZero();
      assertThat(report.unbalancedOrders)
          .as("orders whose charges minus refunds differ from their outcome")
          .isZero();
      assertThat(report.unbalancedSkus)
          .as("SKUs whose stock differs from seeded minus reserved")
          .isZero();
      assertThat(report.notificationsForIncomplete).isZero();
      assertThat(report.completedWithoutNotification).isZero();
      assertThat(exitStatus).as("exit status after SIGTERM (graceful stop)").isZero();
    }
  }

  /** 40 normal, 10 competing for 5 scarce units, 10 declined; shuffled with the seed. */
  private static List<Saga> sagas(String run, String scarceSku, Random random) {
    List<Saga> sagas = new ArrayList<>();
    for (int i = 0; i < NORMAL; i++) {
      sagas.add(
          new Saga(
              Kind.NORMAL,
              SampleOrders.withLines(
                  "o-crash-" + run + "-n" + i,
                  "tok_visa_4242",
                  List.of(
                      new OrderLine("CRASH-MUG", 2, 1299), new OrderLine("CRASH-TEA", 1, 450)))));
    }
    for (int i = 0; i < SCARCE; i++) {
      sagas.add(
          new Saga(
              Kind.SCARCE,
              SampleOrders.withLines(
                  "o-crash-" + run + "-s" + i,
                  "tok_visa_4242",
                  List.of(
                      new OrderLine("CRASH-MUG", 1, 1299), new OrderLine(scarceSku, 1, 9900)))));
    }
    for (int i = 0; i < DECLINED; i++) {
      sagas.add(
          new Saga(
              Kind.DECLINED,
              SampleOrders.withLines(
                  "o-crash-" + run + "-d" + i,
                  "tok_insufficient_funds",
                  List.of(new OrderLine("CRASH-TEA", 1, 450)))));
    }
    Collections.shuffle(sagas, random);
    return sagas;
  }

  private static final class Report {
    int completed;
    int compensated;
    int normalCompleted;
    int scarceCompleted;
    int scarceCompensated;
    int declinedCompensated;
    long retriedAttempts;
    long timedOutWorkflowTasks;
    long duplicateCharges;
    long duplicateReservations;
    long duplicateNotifications;
    long unbalancedOrders;
    long unbalancedSkus;
    long notificationsForIncomplete;
    long completedWithoutNotification;
    final Map<String, Integer> tasksByWorker = new java.util.TreeMap<>();
  }

  private static Report report(
      List<Saga> sagas,
      Map<String, OrderResult> ended,
      List<String> stuck,
      List<String> broken,
      WorkflowClient client,
      DSLContext sql,
      PaymentProviderStub provider,
      Map<String, Integer> stockBefore,
      InventoryReservations inventory,
      java.util.Set<String> skus) {
    Report report = new Report();
    for (Saga saga : sagas) {
      OrderResult result = ended.get(saga.order().orderId());
      if (result == null) {
        continue;
      }
      boolean completed = result.outcome() == OrderOutcome.COMPLETED;
      boolean compensated =
          result.outcome() == OrderOutcome.FAILED
              && !result.compensationsRun().isEmpty()
              && result.compensationsRun().get(result.compensationsRun().size() - 1)
                  == CompensationStep.CANCEL_ORDER;
      report.completed += completed ? 1 : 0;
      report.compensated += compensated ? 1 : 0;
      switch (saga.kind()) {
        case NORMAL -> report.normalCompleted += completed ? 1 : 0;
        case SCARCE -> {
          report.scarceCompleted += completed ? 1 : 0;
          report.scarceCompensated +=
              compensated
                      && result
                          .compensationsRun()
                          .equals(
                              List.of(
                                  CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER))
                  ? 1
                  : 0;
        }
        case DECLINED ->
            report.declinedCompensated +=
                compensated
                        && result.compensationsRun().equals(List.of(CompensationStep.CANCEL_ORDER))
                    ? 1
                    : 0;
      }
      for (HistoryEvent event :
          client.fetchHistory(WorkflowIds.orderSaga(saga.order().orderId())).getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
            && event.getActivityTaskStartedEventAttributes().getAttempt() > 1) {
          report.retriedAttempts++;
        }
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
          report.tasksByWorker.merge(
              event.getWorkflowTaskStartedEventAttributes().getIdentity(), 1, Integer::sum);
        }
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          report.tasksByWorker.merge(
              event.getActivityTaskStartedEventAttributes().getIdentity(), 1, Integer::sum);
        }
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
          report.timedOutWorkflowTasks++;
        }
      }
    }
    List<String> orderIds = sagas.stream().map(s -> s.order().orderId()).toList();
    report.duplicateCharges =
        count(
            sql,
            """
                select count(*) from (select order_id from payment_ledger where entry_kind = 'CHARGE' and order_id = any(?)
                group by order_id having count(*) > 1) d""",
            orderIds);
    report.duplicateReservations =
        count(
            sql,
            """
                select count(*) from (select order_id from inventory_reservations where order_id = any(?)
                group by order_id having count(*) > 1) d""",
            orderIds);
    report.duplicateNotifications =
        count(
            sql,
            """
                select count(*) from (select order_id from notification_outbox where order_id = any(?)
                group by order_id having count(*) > 1) d""",
            orderIds);
    // Money: what the ledger kept of each order must be its total if it completed, nothing
    // otherwise.
    for (Saga saga : sagas) {
      String orderId = saga.order().orderId();
      OrderResult result = ended.get(orderId);
      long expected =
          result != null && result.outcome() == OrderOutcome.COMPLETED
              ? saga.order().totalCents()
              : 0;
      long kept =
          count(
              sql,
              """
                    select coalesce(sum(case entry_kind when 'CHARGE' then amount_cents when 'REFUND' then -amount_cents else 0 end), 0)
                    from payment_ledger where order_id = ?""",
              orderId);
      Optional<Long> atProvider =
          Optional.ofNullable(provider.chargesByOrder().get(orderId)).map(s -> (long) s.size());
      long providerRefunds =
          Optional.ofNullable(provider.refundsByOrder().get(orderId))
              .map(s -> (long) s.size())
              .orElse(0L);
      long providerNet = atProvider.orElse(0L) - providerRefunds;
      if (kept != expected || providerNet != (expected > 0 ? 1 : 0)) {
        report.unbalancedOrders++;
        System.out.println(
            "unbalanced: "
                + orderId
                + " kept "
                + kept
                + ", expected "
                + expected
                + ", provider charges "
                + atProvider.orElse(0L)
                + " refunds "
                + providerRefunds);
      }
      boolean notified =
          count(sql, "select count(*) from notification_outbox where order_id = ?", orderId) > 0;
      boolean completed = result != null && result.outcome() == OrderOutcome.COMPLETED;
      report.notificationsForIncomplete += notified && !completed ? 1 : 0;
      report.completedWithoutNotification += completed && !notified ? 1 : 0;
    }
    // Stock: what this run took from each SKU must be exactly what its active reservations hold.
    for (String sku : skus) {
      long reserved =
          ((Number)
                  sql.fetchValue(
                      """
                    select coalesce(sum(l.quantity), 0) from inventory_reservation_lines l
                    join inventory_reservations r on r.reservation_id = l.reservation_id
                    where l.sku = ? and r.status = 'RESERVED' and r.order_id = any(?)""",
                      sku,
                      orderIds.toArray(String[]::new)))
              .longValue();
      long available = inventory.available(sku).orElseThrow();
      if (stockBefore.get(sku) - available != reserved) {
        report.unbalancedSkus++;
        System.out.println(
            "unbalanced stock: "
                + sku
                + " before "
                + stockBefore.get(sku)
                + ", now "
                + available
                + ", reserved "
                + reserved);
      }
    }
    return report;
  }

  private static long count(DSLContext sql, String query, Object argument) {
    Object bind = argument instanceof List<?> list ? list.toArray(String[]::new) : argument;
    return ((Number) sql.fetchValue(query, bind)).longValue();
  }
}
