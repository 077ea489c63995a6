package io.bptemporal.bench.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.bench.process.ProcessTree;
import io.bptemporal.bench.report.BenchSummary;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.worker.OrderSagaWorkerMain;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18, item 1 ({@code make bench}; never part of {@code make test}): our order saga next to
 * the same saga written with the Go SDK (bench/peer-go, no-op activities), on the same dev stack,
 * in the same namespace, each contender a worker process of its own polling a task queue of its own
 * for its workflows and activities, all driven by the one {@link SagaLoad}. Three contenders:
 *
 * <ul>
 *   <li>{@value #PEER}: the Go peer;
 *   <li>{@value #OURS}: the real worker, {@code OrderSagaWorkerMain}, with its PostgreSQL effects
 *       (ledger-only payments, as {@code make run});
 *   <li>{@value #OURS_NOOP}: the same worker process and workflow with no-op activities ({@link
 *       NoOpSagaWorkerMain}), which splits the SDK and JVM from our database.
 * </ul>
 *
 * <p>Per concurrency level the contenders take turns (A B C A B C …, {@value #ROUNDS} rounds), so
 * that whatever else the shared machine does falls on all of them alike. Prints the table, writes
 * target/bench/saga.json and the plots (docs/performance.md). No timed assertion: only that every
 * saga completed, so that no ratio compares a broken run. {@code -Dbp.bench.saga.scale=0.25} runs a
 * quarter of the sagas; {@code -Dbp.bench.jfr=true} records the real worker with JFR.
 */
@ExtendWith({DevStackExtension.class, BenchSummary.class})
class SagaBenchmark {
  static final String PEER = "go-peer (no-op)";
  static final String OURS = "ours (PostgreSQL)";
  static final String OURS_NOOP = "ours (no-op activities)";
  private static final int[] LEVELS = {1, 8, 32, 128};
  private static final int ROUNDS = Integer.getInteger("bp.bench.rounds", 3);
  private static final double SCALE =
      Double.parseDouble(System.getProperty("bp.bench.saga.scale", "1"));
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  @Test
  void orderSagaNextToTheGoPeer(StackEndpoints stack) throws Exception {
    Path repo = Path.of(System.getProperty("bp.repo.dir", "../..")).toAbsolutePath().normalize();
    Path out = Path.of(System.getProperty("bp.bench.output.dir", "target/bench"));
    Path logs = Path.of("target/bench-logs").toAbsolutePath();
    Files.createDirectories(logs);
    Files.createDirectories(out);
    Path peerBinary = buildPeer(repo, logs);

    String db = "orders_bench";
    String url = stack.postgres().ensureDatabase(db, db, "pw");
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> base =
        Map.of(
            "TEMPORAL_ADDRESS", stack.temporalAddress(),
            "TEMPORAL_NAMESPACE", Namespaces.ORDERS.name(),
            "LOG_FORMAT", "text");
    Map<String, String> queues = new LinkedHashMap<>();
    queues.put(PEER, "orders-bench-go-" + run);
    queues.put(OURS, "orders-bench-pg-" + run);
    queues.put(OURS_NOOP, "orders-bench-noop-" + run);
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));

    Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    try (HikariDataSource pool = Databases.pool(new DatabaseSettings(url, db, "pw", 2), db);
        TemporalConnection connection =
            TemporalConnection.open(
                new TemporalSettings(
                    stack.temporalAddress(),
                    Namespaces.ORDERS.name(),
                    queues.get(OURS),
                    Optional.empty(),
                    Optional.empty()),
                Optional.empty())) {
      OrdersSchema.migrate(pool);
      Map<String, Integer> stock = new HashMap<>();
      for (int i = 0; i < SagaLoad.SKUS; i++) {
        stock.put(SagaLoad.sku(i), 100_000_000);
      }
      new InventoryReservations(OrdersSchema.dsl(pool)).ensureAvailable(stock);

      workers.put(
          PEER,
          WorkerProcess.start(
              "peer-go",
              List.of(peerBinary.toString()),
              with(base, "TEMPORAL_TASK_QUEUE", queues.get(PEER)),
              logs.resolve("peer-go-" + run + ".log")));
      Map<String, String> oursEnv =
          new HashMap<>(with(base, "TEMPORAL_TASK_QUEUE", queues.get(OURS)));
      oursEnv.putAll(Map.of("DB_URL", url, "DB_USER", db, "DB_PASSWORD", "pw"));
      List<String> oursJvm = new ArrayList<>(jvm);
      if (Boolean.getBoolean("bp.bench.jfr")) {
        oursJvm.add(
            "-XX:StartFlightRecording=settings=profile,filename="
                + out.toAbsolutePath().resolve("ours-worker.jfr"));
      }
      workers.put(
          OURS,
          WorkerProcess.start(
              "order-saga-worker",
              WorkerProcess.moduleCommand(
                  Path.of("").toAbsolutePath(), OrderSagaWorkerMain.class.getName(), oursJvm),
              oursEnv,
              logs.resolve("ours-" + run + ".log")));
      workers.put(
          OURS_NOOP,
          WorkerProcess.start(
              "order-saga-worker-noop",
              WorkerProcess.moduleCommand(
                  Path.of("").toAbsolutePath(), NoOpSagaWorkerMain.class.getName(), jvm),
              with(base, "TEMPORAL_TASK_QUEUE", queues.get(OURS_NOOP)),
              logs.resolve("ours-noop-" + run + ".log")));
      for (WorkerProcess worker : workers.values()) {
        worker.awaitReady(READY_WITHIN);
      }

      WorkflowClient client = connection.client(List.of());
      SagaLoad load = new SagaLoad(client);
      List<String> contenders = List.copyOf(queues.keySet());
      // Warm-up, not counted: JIT, connection pools, the task queues' partitions and sticky caches.
      for (String contender : contenders) {
        SagaRun warm =
            load.run(
                contender,
                queues.get(contender),
                16,
                sagas(200),
                -1,
                "warm-" + run + "-" + contender.hashCode());
        assertThat(warm.failed()).as("warm-up of %s: %s", contender, warm.failures()).isZero();
      }
      String machine = machine(stack, peerBinary);
      List<SagaRun> runs = new ArrayList<>();
      for (int level : LEVELS) {
        int sagas = sagas(Math.max(60, 4 * level));
        for (int round = 0; round < ROUNDS; round++) {
          for (String contender : contenders) {
            long worker = workers.get(contender).pid();
            long cpuBefore = ProcessTree.cpuNanos(worker);
            SagaRun r =
                load.run(
                    contender,
                    queues.get(contender),
                    level,
                    sagas,
                    round,
                    String.format(
                        Locale.ROOT,
                        "b%s-%d-c%d-r%d",
                        run,
                        contenders.indexOf(contender),
                        level,
                        round));
            long cpuAfter = ProcessTree.cpuNanos(worker);
            r = r.withWorkerCpu(cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore);
            System.out.printf(
                Locale.ROOT,
                "  c=%-4d round %d %-26s %6.1f sagas/s  p50 %7.1f ms  p99 %7.1f ms  worker CPU %5.2f ms/saga%s%n",
                level,
                round,
                contender,
                r.throughput(),
                r.latencyMs(50),
                r.latencyMs(99),
                r.workerCpuMsPerSaga(),
                r.failed() == 0 ? "" : "  FAILED " + r.failed() + ": " + r.failures());
            runs.add(r);
          }
        }
      }
      SagaReport report = new SagaReport(PEER, OURS, contenders, runs, machine);
      String table = report.table();
      System.out.print(table);
      Files.writeString(out.resolve("saga.txt"), table);
      for (Path written : report.write(out)) {
        System.out.println("  wrote " + written.toAbsolutePath());
      }
      assertThat(runs.stream().mapToInt(SagaRun::failed).sum())
          .as("sagas that did not complete (see the per-run lines above)")
          .isZero();
      // Only a run where every saga completed reaches the summary: no ratio of a broken run.
      BenchSummary.record(report.targets());
    } finally {
      for (WorkerProcess worker : workers.values()) {
        worker.stop(Duration.ofSeconds(15));
      }
    }
  }

  private static int sagas(int n) {
    return Math.max(8, (int) Math.round(n * SCALE));
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> env = new HashMap<>(base);
    env.put(key, value);
    return env;
  }

  /** scripts/build-bench-peer: builds the peer once per source state, prints the binary's path. */
  private static Path buildPeer(Path repo, Path logs) throws IOException, InterruptedException {
    Path log = logs.resolve("build-bench-peer.log");
    Process build =
        new ProcessBuilder(repo.resolve("scripts/build-bench-peer").toString())
            .redirectError(log.toFile())
            .start();
    String stdout = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = build.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          "scripts/build-bench-peer exited " + exit + ": " + Files.readString(log));
    }
    return Path.of(stdout.strip());
  }

  private static String machine(StackEndpoints stack, Path peerBinary) {
    String go = "go ?";
    try {
      Process version =
          new ProcessBuilder("go", "version", peerBinary.toString())
              .redirectErrorStream(true)
              .start();
      go = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      go = go.substring(go.indexOf(':') + 1).strip();
      version.waitFor();
    } catch (IOException | InterruptedException e) {
      // Only a label of the report.
    }
    return String.format(
        Locale.ROOT,
        "%d cores, %s %s, JDK %s, peer %s, stack from %s, load average %.1f at start",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Runtime.version(),
        go,
        stack.provider(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
