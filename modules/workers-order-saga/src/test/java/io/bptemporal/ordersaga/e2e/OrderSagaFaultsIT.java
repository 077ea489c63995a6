package io.bptemporal.ordersaga.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.ordersaga.CancelRequest;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.FaultMatrix;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.e2e.SagaMix.Kind;
import io.bptemporal.ordersaga.e2e.SagaMix.Saga;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.PaymentProviderStub;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite, scenario "order saga" (issue 19, docs/reliability.md; {@code make faults}): 200
 * sagas — normal, out of stock, declined, and cancelled by signal at a random moment — run while
 * the worker process is SIGKILLed 10 times, the Temporal server is SIGKILLed and started again
 * twice, and PostgreSQL is restarted once, in a seeded order. In the dev stack the orders database
 * lives in the same PostgreSQL server as Temporal's own databases, so that one restart takes both
 * the orders database and Temporal's persistence away at once.
 *
 * <p>The sagas are released in batches, one before each fault, so that every fault meets sagas in
 * flight; a fault lands 0.2–1.2 s after its batch has started, and only once a saga closed after
 * the previous fault (recovered), so that each fault's recovery is measured on its own.
 *
 * <p>Afterwards {@link SagaAudit} checks, as {@link OrderSagaCrashIT} does: every saga ended as its
 * kind must (none stuck), no charge, reservation or confirmation happened twice, money and stock
 * balance exactly. The line {@code faults: scenario=order-saga ...} goes to the fault matrix.
 *
 * <p>The order and moments of the faults come from a seed that is printed; {@code
 * -Dbp.faults.seed=<seed>} repeats them (the machine's timing still varies). {@code
 * -Dbp.faults.sagas=<n>} runs a smaller mix (e.g. 40) with the same faults.
 */
@ExtendWith(DevStackExtension.class)
class OrderSagaFaultsIT {
  private static final int WORKER_KILLS = 10;
  private static final int TEMPORAL_RESTARTS = 2;
  private static final int POSTGRES_RESTARTS = 1;
  private static final Duration READY = Duration.ofMinutes(2);
  private static final Duration START_PAUSE = Duration.ofMillis(50);
  // How long the sagas may take to recover from one fault: the next one lands only after a saga
  // closed.
  private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);
  // Forward steps retry with backoff up to 30 s apart and compensations up to 60 s: after the last
  // fault every saga still needs a few of those intervals.
  private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(6);
  // A client call (start, signal) that meets a stopped server or database is retried this long.
  private static final Duration CALL_RETRY = Duration.ofMinutes(3);

  private enum Fault {
    WORKER_KILL,
    TEMPORAL_RESTART,
    POSTGRES_RESTART
  }

  @Test
  void everySagaEndsAsExpectedAndNoEffectHappensTwiceThroughWorkerServerAndDatabaseFailures(
      StackEndpoints stack, DevStack devStack) throws Exception {
    assumeTrue(
        devStack.config().existingPostgres().isEmpty(),
        "skipped: this scenario restarts PostgreSQL, which needs the dev stack's own;"
            + " DEVSTACK_JDBC_URL names another one");
    long t0 = System.nanoTime();
    long seed = Long.getLong("bp.faults.seed", System.nanoTime());
    Random random = new Random(seed);
    int total = Integer.getInteger("bp.faults.sagas", 200);
    String run = Long.toString(System.currentTimeMillis(), 36);
    System.out.println(
        "fault suite: order-saga seed="
            + seed
            + " (repeat the fault plan with -Dbp.faults.seed="
            + seed
            + "), "
            + total
            + " sagas");
    Path logs = Files.createDirectories(Path.of("target/faults/order-saga"));
    // Of 200: 110 normal, 20 competing for 10 scarce units, 30 declined, 40 sent a cancel.
    int scarce = total / 10;
    int declined = total * 3 / 20;
    int cancelled = total / 5;
    SagaMix mix =
        new SagaMix(
            "faults",
            run,
            total - scarce - declined - cancelled,
            scarce,
            scarce / 2,
            declined,
            cancelled);
    List<Saga> sagas = mix.sagas(random);
    Map<String, Long> cancelDelayMillis = new HashMap<>();
    sagas.stream()
        .filter(s -> s.kind() == Kind.CANCELLED)
        .forEach(s -> cancelDelayMillis.put(s.orderId(), (long) random.nextInt(3_000)));
    List<Fault> plan = new ArrayList<>();
    plan.addAll(Collections.nCopies(WORKER_KILLS, Fault.WORKER_KILL));
    plan.addAll(Collections.nCopies(TEMPORAL_RESTARTS, Fault.TEMPORAL_RESTART));
    plan.addAll(Collections.nCopies(POSTGRES_RESTARTS, Fault.POSTGRES_RESTART));
    Collections.shuffle(plan, random);
    // The sagas are released in batches, one before each fault's random wait and the rest after the
    // last fault, so that every fault meets sagas in flight, however fast this machine drains them.
    int batch = (total + plan.size()) / (plan.size() + 1);
    Semaphore released = new Semaphore(0);

    String url = stack.postgres().ensureDatabase("orders_faults", "orders_faults", "pw");
    String taskQueue = "orders-faults-" + run;
    ScheduledExecutorService cancels = Executors.newScheduledThreadPool(4);
    try (HikariDataSource pool =
            Databases.pool(new DatabaseSettings(url, "orders_faults", "pw", 4), "faults-it");
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
          SagaWorkers.env(stack, taskQueue, url, "orders_faults", "pw", provider);
      WorkflowClient client = connection.client(List.of());

      AtomicInteger started = new AtomicInteger();
      int incarnation = 1;
      WorkerProcess worker =
          SagaWorkers.start(env, logs.resolve("worker-" + run + "-" + incarnation + ".log"), READY);
      Thread starter =
          Thread.ofPlatform()
              .name("saga-starter")
              .start(
                  () -> {
                    for (Saga saga : sagas) {
                      try {
                        released.acquire();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                      start(client, taskQueue, saga);
                      started.incrementAndGet();
                      if (saga.kind() == Kind.CANCELLED) {
                        cancels.schedule(
                            () -> cancel(client, saga),
                            cancelDelayMillis.get(saga.orderId()),
                            TimeUnit.MILLISECONDS);
                      }
                      try {
                        // Spreads a batch's starts a little (pacing): a fixed wait, not a
                        // condition.
                        Thread.sleep(START_PAUSE.toMillis());
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                    }
                  });

      Map<Fault, Integer> injected = new LinkedHashMap<>();
      List<Instant> faultTimes = new ArrayList<>();
      List<String> faultLog = new ArrayList<>();
      int workerKills = 0;
      Counts afterFault = null;
      for (Fault fault : plan) {
        long gap = 200 + random.nextInt(1_000);
        long downFor = 2_000 + random.nextInt(6_000);
        if (afterFault != null && afterFault.running() > 0) {
          // The previous fault must have been recovered from (a saga closed since) before the next
          // one lands: otherwise faults pile up faster than Temporal's timeouts can notice them,
          // and no fault's recovery could be told apart.
          long closedThen = afterFault.closed();
          Awaitility.await("a saga closed after fault " + faultTimes.size())
              .atMost(RECOVERY_LIMIT)
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .until(() -> counts(client, taskQueue).closed(), closed -> closed > closedThen);
        }
        released.release(batch);
        int batchStarted = Math.min(total, faultTimes.size() * batch + batch);
        Awaitility.await("batch " + (faultTimes.size() + 1) + " started")
            .atMost(CALL_RETRY)
            .pollInterval(Duration.ofMillis(50))
            .until(started::get, count -> count >= batchStarted);
        // The time before the fault and how long a server stays down come from the seed: fixed
        // waits (pacing), not conditions. Short enough that the batch just started is still in
        // flight when the fault lands.
        Thread.sleep(gap);
        Instant at = Instant.now();
        String detail;
        switch (fault) {
          case WORKER_KILL -> {
            workerKills++;
            // Every other kill waits (at most 5 s) for the worst moment, a charge at the provider,
            // as in OrderSagaCrashIT; the others land wherever the random moment falls.
            boolean worstMoment = workerKills % 2 == 0;
            int atProvider =
                worstMoment
                    ? SagaWorkers.awaitChargeInFlight(provider, Duration.ofSeconds(5))
                    : provider.chargesInFlight();
            at = Instant.now();
            worker.kill();
            detail =
                "SIGKILL worker pid "
                    + worker.pid()
                    + (worstMoment ? " (waited for a charge in flight)" : " (random moment)")
                    + ", "
                    + atProvider
                    + " charges at the provider";
            incarnation++;
            worker =
                SagaWorkers.start(
                    env, logs.resolve("worker-" + run + "-" + incarnation + ".log"), READY);
          }
          case TEMPORAL_RESTART -> {
            devStack.killTemporalServer();
            Thread.sleep(downFor);
            devStack.startTemporalServer();
            detail = "SIGKILL Temporal server, down " + downFor + " ms, started again";
          }
          case POSTGRES_RESTART -> {
            devStack.stopPostgres();
            Thread.sleep(downFor);
            devStack.startPostgres();
            detail =
                "PostgreSQL stopped (orders and Temporal databases), down "
                    + downFor
                    + " ms, started again";
          }
          default -> throw new IllegalStateException(fault.name());
        }
        // Counted after the fault, not before it (where the queries would delay it): a saga that
        // closed in between is missed, and the wait for the next one is only the stricter.
        afterFault =
            Awaitility.await("the sagas' counts after fault " + (faultTimes.size() + 1))
                .atMost(CALL_RETRY)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> counts(client, taskQueue), counts -> true);
        injected.merge(fault, 1, Integer::sum);
        faultTimes.add(at);
        faultLog.add(
            String.format(
                "fault %2d at %5.1f s: %s; %d of %d sagas started",
                faultTimes.size(), (System.nanoTime() - t0) / 1e9, detail, started.get(), total));
        System.out.println(faultLog.get(faultLog.size() - 1));
      }
      released.release(total);
      starter.join(START_PAUSE.multipliedBy(total).plus(CALL_RETRY).toMillis());
      assertThat(started.get()).as("sagas started").isEqualTo(total);
      cancels.shutdown();
      assertThat(cancels.awaitTermination(CALL_RETRY.toSeconds() + 10, TimeUnit.SECONDS))
          .as("every cancel signal sent")
          .isTrue();

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
      Instant end = Instant.now();
      // Recovery: from each fault to the next saga that closed (by the server's clock); without
      // one,
      // to the end of the drain.
      double recovery = 0;
      List<String> afterFaults = new ArrayList<>();
      for (int i = 0; i < faultTimes.size(); i++) {
        Instant at = faultTimes.get(i);
        Instant next = report.firstCloseAfter(at).orElse(end);
        double took = Duration.between(at, next).toMillis() / 1000.0;
        recovery = Math.max(recovery, took);
        afterFaults.add(
            String.format(
                "fault %2d (%s): %d sagas in flight, the next closed %.1f s later",
                i + 1,
                plan.get(i).name().toLowerCase(java.util.Locale.ROOT),
                report.openAt(at),
                took));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println(
          """

          ==== fault suite: order saga (seed %d) ====
          %s
          %s
          %s
          last worker stopped by SIGTERM with exit status %d; logs in %s
          """
              .formatted(
                  seed,
                  String.join("\n", faultLog),
                  String.join("\n", afterFaults),
                  report.summary(provider),
                  exitStatus,
                  logs.toAbsolutePath()));
      Map<String, Integer> byKind = new LinkedHashMap<>();
      byKind.put("worker kills", injected.getOrDefault(Fault.WORKER_KILL, 0));
      byKind.put("temporal restarts", injected.getOrDefault(Fault.TEMPORAL_RESTART, 0));
      byKind.put("postgres restarts", injected.getOrDefault(Fault.POSTGRES_RESTART, 0));
      FaultMatrix.record(
          FaultMatrix.line(
              "order-saga", byKind, total, report.lost(), report.duplicated(), recovery, seconds));

      SagaAudit.assertNothingLostOrDoubled(report, DRAIN_DEADLINE);
      assertThat(exitStatus).as("exit status after SIGTERM (graceful stop)").isZero();
    } finally {
      cancels.shutdownNow();
    }
  }

  /** This run's sagas running and closed, by Temporal's visibility. */
  private record Counts(long running, long closed) {}

  private static Counts counts(WorkflowClient client, String taskQueue) {
    String ours = "TaskQueue = '" + taskQueue + "' AND ExecutionStatus ";
    return new Counts(
        client.countWorkflows(ours + "= 'Running'").getCount(),
        client.countWorkflows(ours + "!= 'Running'").getCount());
  }

  /**
   * Starts the saga; while the server or its database is down the call is retried. A start whose
   * answer was lost may have landed: "already started" then means done (the workflow ID is the
   * order's fence, so it never runs twice).
   */
  private static void start(WorkflowClient client, String taskQueue, Saga saga) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            OrderSagaWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setWorkflowId(saga.workflowId())
                .setTaskQueue(taskQueue)
                .build());
    retrying(
        "start " + saga.workflowId(),
        () -> {
          try {
            stub.start(saga.order());
          } catch (WorkflowExecutionAlreadyStarted landedBefore) {
            // The earlier attempt started it.
          }
        });
  }

  /**
   * Sends the cancel signal; retried like a start (the saga ignores a second cancel). A saga that
   * already ended has nothing to cancel.
   */
  private static void cancel(WorkflowClient client, Saga saga) {
    retrying(
        "cancel " + saga.workflowId(),
        () -> {
          try {
            client
                .newUntypedWorkflowStub(saga.workflowId())
                .signal(
                    OrderSagaWorkflow.CANCEL_SIGNAL, new CancelRequest("fault suite: customer"));
          } catch (WorkflowNotFoundException alreadyEnded) {
            // Completed or compensated before the signal: nothing to cancel.
          }
        });
  }

  private static void retrying(String what, Runnable call) {
    Awaitility.await(what)
        .atMost(CALL_RETRY)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .pollInSameThread()
        .ignoreExceptionsMatching(
            e -> e instanceof WorkflowException || e instanceof io.grpc.StatusRuntimeException)
        .until(
            () -> {
              call.run();
              return true;
            });
  }
}
