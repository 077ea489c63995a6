package io.bptemporal.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.bench.report.BenchSummary;
import io.bptemporal.bench.report.Summary;
import io.bptemporal.bench.report.Target;
import io.bptemporal.bench.saga.SagaLoad;
import io.bptemporal.bench.saga.SagaRun;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18, item 4 ({@code make bench}; never part of {@code make test}): what a process of the
 * platform costs. For each of the five runnable modules, started from its build as {@code make run}
 * and {@code SagaBenchmark} start it ({@code java -cp target/classes:runtime-classpath.txt Main},
 * {@code -Xmx512m}), in fresh JVMs, taking turns A B C D E …, {@code bp.bench.rounds} rounds:
 *
 * <ul>
 *   <li><b>cold start to ready</b>: from just before the process is spawned to the first 200 on
 *       {@code /readyz}, polled every 10 ms. Ready means what the probe of a pod means: the worker
 *       factory started (polling), Temporal and the database reachable (Flyway done);
 *   <li><b>RSS at ready</b>, and for the order-saga worker <b>RSS after 1,000 sagas</b> ({@link
 *       SagaLoad}, 16 in flight): VmRSS of the process from /proc;
 *   <li><b>image size</b> of {@code modules/NAME/target/jib-image.tar} where {@code make images}
 *       has written it (not built by {@code make bench}); the image itself is not run here: the
 *       engine-less image harness is part of the system tests and needs root.
 * </ul>
 *
 * <p>Writes target/bench/process.json. {@code -Dbp.bench.process.sagas=100} is a smoke run.
 */
@ExtendWith({DevStackExtension.class, BenchSummary.class})
class ProcessCostBenchmark {
  private static final int ROUNDS = Integer.getInteger("bp.bench.rounds", 3);
  private static final int SAGAS = Integer.getInteger("bp.bench.process.sagas", 1_000);
  private static final double COLD_START_LIMIT_S = 3;
  private static final double IMAGE_LIMIT_MB = 120;
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** Module, main class, database (empty: none), extra environment (as ImageSmokeIT runs them). */
  record App(String dir, String mainClass, String database, Map<String, String> env) {}

  private static final List<App> MODULES =
      List.of(
          new App(
              "workers-order-saga",
              "io.bptemporal.ordersaga.worker.OrderSagaWorkerMain",
              "orders_pc",
              Map.of()),
          new App(
              "workers-pipeline",
              "io.bptemporal.pipeline.worker.PipelineWorkerMain",
              "pipeline_pc",
              Map.of()),
          new App(
              "workers-activity",
              "io.bptemporal.activity.worker.ActivityWorkerMain",
              "activity_pc",
              Map.of(
                  "REGISTRY_DB_URL", "${DB_URL}",
                  "REGISTRY_DB_USER", "${DB_USER}",
                  "REGISTRY_DB_PASSWORD", "${DB_PASSWORD}")),
          new App("scheduler", "io.bptemporal.scheduler.SchedulerMain", "scheduler_pc", Map.of()),
          new App(
              "event-router",
              "io.bptemporal.router.RouterMain",
              "router_pc",
              Map.of(
                  "REGISTRY_DB_URL", "${DB_URL}",
                  "REGISTRY_DB_USER", "${DB_USER}",
                  "REGISTRY_DB_PASSWORD", "${DB_PASSWORD}",
                  "KAFKA_BOOTSTRAP_SERVERS", "${KAFKA}")));

  @Test
  void coldStartRssAndImageSizeOfEachProcess(StackEndpoints stack) throws Exception {
    Path repo = Path.of(System.getProperty("bp.repo.dir", "../..")).toAbsolutePath().normalize();
    Path out = Path.of(System.getProperty("bp.bench.output.dir", "target/bench"));
    Path logs = Path.of("target/bench-logs").toAbsolutePath();
    Files.createDirectories(logs);
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, Map<String, String>> envs = new LinkedHashMap<>();
    for (App m : MODULES) {
      envs.put(m.dir(), environment(stack, m));
    }

    Map<String, List<Double>> coldSeconds = new LinkedHashMap<>();
    Map<String, List<Long>> readyRssKib = new LinkedHashMap<>();
    MODULES.forEach(
        m -> {
          coldSeconds.put(m.dir(), new ArrayList<>());
          readyRssKib.put(m.dir(), new ArrayList<>());
        });
    // A first start of each, not counted: the database's migration and the OS's file cache.
    for (App m : MODULES) {
      startAndStop(repo, m, envs.get(m.dir()), logs, run);
    }
    for (int round = 0; round < ROUNDS; round++) {
      for (App m : MODULES) {
        Started s = startAndStop(repo, m, envs.get(m.dir()), logs, run);
        coldSeconds.get(m.dir()).add(s.seconds());
        readyRssKib.get(m.dir()).add(s.rssKib());
        System.out.printf(
            Locale.ROOT,
            "  round %d %-20s ready in %5.2f s, RSS %,7d KiB%n",
            round,
            m.dir(),
            s.seconds(),
            s.rssKib());
      }
    }

    long afterSagasKib = rssAfterSagas(stack, repo, MODULES.getFirst(), envs, logs, run);

    String machine =
        String.format(
            Locale.ROOT,
            "%d rounds, -Xmx512m, from the modules' builds (not the images), stack from %s, %s",
            ROUNDS,
            stack.provider(),
            Summary.machine());
    List<Target> targets = new ArrayList<>();
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("benchmark", "process cost: cold start, RSS, image size");
    root.put("machine", machine);
    ArrayNode processes = root.putArray("processes");
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%nPROCESS COST BENCHMARK: %s%n", machine));
    String row = "%-20s %12s %12s %14s %12s%n";
    table.append(
        String.format(
            Locale.ROOT,
            row,
            "process",
            "ready best",
            "ready median",
            "RSS ready MiB",
            "image MB"));
    for (App m : MODULES) {
      double[] cold = coldSeconds.get(m.dir()).stream().mapToDouble(Double::doubleValue).toArray();
      double median = median(cold);
      double rssMib =
          median(readyRssKib.get(m.dir()).stream().mapToDouble(k -> k / 1024.0).toArray());
      Optional<Double> imageMb = imageMb(repo, m);
      targets.add(
          Target.atMost(
              "process",
              m.dir() + ": cold start to ready (median)",
              median,
              "s",
              COLD_START_LIMIT_S,
              "jar/classpath, process spawn -> first 200 on /readyz"));
      imageMb.ifPresent(
          mib ->
              targets.add(
                  Target.atMost(
                      "process",
                      m.dir() + ": image size",
                      mib,
                      "MB",
                      IMAGE_LIMIT_MB,
                      "jib-image.tar, MB = 10^6 bytes")));
      ObjectNode n = processes.addObject();
      n.put("module", m.dir());
      n.put("main_class", m.mainClass());
      ArrayNode seconds = n.putArray("cold_start_seconds");
      Arrays.stream(cold).forEach(v -> seconds.add(Summary.round3(v)));
      n.put("cold_start_seconds_median", Summary.round3(median));
      n.put("rss_at_ready_mib_median", Summary.round3(rssMib));
      imageMb.ifPresent(mib -> n.put("image_mb", Summary.round3(mib)));
      table.append(
          String.format(
              Locale.ROOT,
              row,
              m.dir(),
              String.format(Locale.ROOT, "%.2f s", Arrays.stream(cold).min().orElseThrow()),
              String.format(Locale.ROOT, "%.2f s", median),
              String.format(Locale.ROOT, "%.0f", rssMib),
              imageMb.map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("no tar")));
    }
    targets.add(
        Target.reported(
            "process",
            String.format(Locale.ROOT, "workers-order-saga: RSS after %,d sagas", SAGAS),
            afterSagasKib / 1024.0,
            "MiB",
            "VmRSS, -Xmx512m, 16 sagas in flight, real activities"));
    root.put("order_saga_rss_after_sagas_mib", Summary.round3(afterSagasKib / 1024.0));
    root.put("sagas", SAGAS);
    root.set("summary", Summary.json(targets));
    table.append(
        String.format(
            Locale.ROOT,
            "workers-order-saga RSS after %,d sagas: %.0f MiB%n",
            SAGAS,
            afterSagasKib / 1024.0));
    System.out.print(table);
    Files.createDirectories(out);
    Files.writeString(out.resolve("process.txt"), table);
    Path json = out.resolve("process.json");
    Summary.writeJson(json, root);
    System.out.println("  wrote " + json.toAbsolutePath());
    BenchSummary.record(targets);
  }

  record Started(double seconds, long rssKib) {}

  /** One cold start: spawn, poll /readyz every 10 ms until 200, read the RSS, SIGTERM. */
  private static Started startAndStop(
      Path repo, App m, Map<String, String> env, Path logs, String run) {
    List<String> command =
        WorkerProcess.moduleCommand(
            repo.resolve("modules").resolve(m.dir()),
            m.mainClass(),
            List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
    long start = System.nanoTime();
    WorkerProcess process =
        WorkerProcess.start(
            m.dir(), command, env, logs.resolve("process-" + m.dir() + "-" + run + ".log"));
    try {
      awaitReady(process);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Started(seconds, ProcessTree.rssKib(process.pid()));
    } finally {
      process.stop(Duration.ofSeconds(15));
    }
  }

  private static void awaitReady(WorkerProcess process) {
    URI readyz = process.managementUri().resolve("/readyz");
    HttpRequest request = HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build();
    Awaitility.await(process + " ready")
        .atMost(READY_WITHIN)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .ignoreExceptionsInstanceOf(IOException.class)
        .failFast(process + " exited; see " + process.log(), () -> !process.isAlive())
        .until(
            () -> HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** The order-saga worker, ready, then {@link #SAGAS} sagas through it: its RSS afterwards. */
  private static long rssAfterSagas(
      StackEndpoints stack,
      Path repo,
      App m,
      Map<String, Map<String, String>> envs,
      Path logs,
      String run)
      throws Exception {
    Map<String, String> env = new HashMap<>(envs.get(m.dir()));
    String queue = "orders-bench-rss-" + run;
    env.put("TEMPORAL_TASK_QUEUE", queue);
    String db = m.database();
    try (HikariDataSource pool =
            Databases.pool(
                new DatabaseSettings(env.get("DB_URL"), db, env.get("DB_PASSWORD"), 2), db);
        TemporalConnection connection =
            TemporalConnection.open(
                new TemporalSettings(
                    stack.temporalAddress(),
                    Namespaces.ORDERS.name(),
                    queue,
                    Optional.empty(),
                    Optional.empty()),
                Optional.empty())) {
      WorkerProcess worker =
          WorkerProcess.start(
              m.dir() + "-rss",
              WorkerProcess.moduleCommand(
                  repo.resolve("modules").resolve(m.dir()),
                  m.mainClass(),
                  List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError")),
              env,
              logs.resolve("process-rss-" + run + ".log"));
      try {
        worker.awaitReady(READY_WITHIN);
        // The worker migrated its schema at start; the stock is added afterwards.
        Map<String, Integer> stock = new HashMap<>();
        for (int i = 0; i < SagaLoad.SKUS; i++) {
          stock.put(SagaLoad.sku(i), 100_000_000);
        }
        new InventoryReservations(OrdersSchema.dsl(pool)).ensureAvailable(stock);
        SagaRun sagas =
            new SagaLoad(connection.client(List.of()))
                .run("rss", queue, 16, SAGAS, 0, "rss-" + run);
        assertThat(sagas.failed()).as("sagas: %s", sagas.failures()).isZero();
        return ProcessTree.rssKib(worker.pid());
      } finally {
        worker.stop(Duration.ofSeconds(15));
      }
    }
  }

  private static Optional<Double> imageMb(Path repo, App m) throws IOException {
    Path tar = repo.resolve("modules").resolve(m.dir()).resolve("target/jib-image.tar");
    return Files.isRegularFile(tar) ? Optional.of(Files.size(tar) / 1e6) : Optional.empty();
  }

  /** ImageSmokeIT's environment for the module: a database of its own, the stack's broker. */
  private static Map<String, String> environment(StackEndpoints stack, App m) {
    String password = m.database() + "-bench";
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("DB_URL", stack.postgres().ensureDatabase(m.database(), m.database(), password));
    env.put("DB_USER", m.database());
    env.put("DB_PASSWORD", password);
    env.put("LOG_FORMAT", "text");
    env.put("SHUTDOWN_GRACE_SECONDS", "10");
    env.put("KAFKA", stack.kafkaBootstrapServers());
    if (m.dir().equals("event-router")) {
      // The router reads its routes from a registry: its database gets the registry's schema.
      try (HikariDataSource registry =
          Databases.pool(
              new DatabaseSettings(env.get("DB_URL"), m.database(), password, 2),
              "bench-registry")) {
        RegistrySchema.migrate(registry);
      }
    }
    Map<String, String> resolved = new HashMap<>(env);
    m.env()
        .forEach(
            (name, value) ->
                resolved.put(
                    name,
                    value.startsWith("${") && value.endsWith("}")
                        ? env.get(value.substring(2, value.length() - 1))
                        : value));
    resolved.remove("KAFKA");
    return resolved;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
