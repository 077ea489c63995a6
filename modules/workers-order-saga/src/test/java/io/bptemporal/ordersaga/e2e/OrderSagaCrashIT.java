package io.bptemporal.ordersaga.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.e2e.SagaMix.Saga;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.PaymentProviderStub;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The crash test: 60 sagas run while the worker, a separate OS process, is killed with SIGKILL four
 * times and restarted each time — twice at a random moment, twice at the worst one (a charge at the
 * provider). Afterwards every saga must have ended completed or compensated (none stuck), and the
 * database and the payment provider must show no effect twice: no order charged twice, no stock
 * taken twice, no confirmation queued twice, and money and stock must balance ({@link SagaAudit}).
 * The kill moments come from a seed that is printed; {@code -Dbp.crash.seed=<seed>} repeats them.
 * The fault suite's larger scenario with server and database failures is {@link OrderSagaFaultsIT}.
 */
@ExtendWith(DevStackExtension.class)
class OrderSagaCrashIT {
  private static final int KILLS = 4;
  private static final Duration START_SPREAD = Duration.ofSeconds(24);
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(150);
  private static final Duration READY = Duration.ofSeconds(90);

  @Test
  void everySagaEndsCompletedOrCompensatedAndNoEffectHappensTwiceWhileTheWorkerIsKilled(
      StackEndpoints stack) throws Exception {
    long seed = Long.getLong("bp.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    String run = Long.toString(System.currentTimeMillis(), 36);
    System.out.println(
        "crash test seed=" + seed + " (repeat the kill moments with -Dbp.crash.seed=" + seed + ")");
    Path logs = Files.createDirectories(Path.of("target/crash-test"));
    // 40 normal, 10 competing for 5 scarce units, 10 declined.
    SagaMix mix = new SagaMix("crash", run, 40, 10, 5, 10, 0);

    String url = stack.postgres().ensureDatabase("orders_crash", "orders_crash", "pw");
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
      inventory.ensureAvailable(mix.stock());
      Map<String, Integer> stockBefore = new HashMap<>();
      for (String sku : mix.stock().keySet()) {
        stockBefore.put(sku, inventory.available(sku).orElseThrow());
      }
      // Slow enough that kills land while charges are at the provider and activities are in flight.
      provider.latency(Duration.ofMillis(100), Duration.ofMillis(700));
      Map<String, String> env =
          SagaWorkers.env(stack, taskQueue, url, "orders_crash", "pw", provider);
      WorkflowClient client = connection.client(List.of());

      List<Saga> sagas = mix.sagas(random);
      Map<String, CompletableFuture<?>> results = new ConcurrentHashMap<>();
      int incarnation = 1;
      WorkerProcess worker =
          SagaWorkers.start(env, logs.resolve("worker-" + run + "-" + incarnation + ".log"), READY);

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
                                  .setWorkflowId(saga.workflowId())
                                  .setTaskQueue(taskQueue)
                                  .build());
                      stub.start(saga.order());
                      // Only to count the sagas still open at each kill; SagaAudit.drain waits.
                      results.put(saga.orderId(), stub.getResultAsync(Object.class));
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
        // answer the worker will never hear. Odd kills land wherever the random moment falls.
        boolean worstMoment = kill % 2 == 0;
        long waitStart = System.nanoTime();
        int atProvider =
            worstMoment
                ? SagaWorkers.awaitChargeInFlight(provider, Duration.ofSeconds(5))
                : provider.chargesInFlight();
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
            SagaWorkers.start(
                env, logs.resolve("worker-" + run + "-" + incarnation + ".log"), READY);
      }
      starter.join(START_SPREAD.plusSeconds(30).toMillis());
      assertThat(results).as("every saga was started").hasSize(sagas.size());

      // Drain: every saga must end within a bounded time (retries after the last kill take up to 15
      // s).
      SagaAudit.Drained drained = SagaAudit.drain(client, sagas, DRAIN_DEADLINE);
      int exitStatus = worker.terminate(Duration.ofSeconds(20));

      SagaAudit.Report report =
          SagaAudit.report(
              mix,
              sagas,
              drained,
              client,
              OrdersSchema.dsl(pool),
              provider,
              stockBefore,
              inventory);
      System.out.println(
          """

          ==== order saga crash test (seed %d) ====
          worker killed with SIGKILL %d times and restarted; logs in %s
          %s
          %s
          last worker stopped by SIGTERM with exit status %d
          """
              .formatted(
                  seed,
                  KILLS,
                  logs.toAbsolutePath(),
                  String.join("\n", killLog),
                  report.summary(provider),
                  exitStatus));

      SagaAudit.assertNothingLostOrDoubled(report, DRAIN_DEADLINE);
      assertThat(exitStatus).as("exit status after SIGTERM (graceful stop)").isZero();
    }
  }
}
