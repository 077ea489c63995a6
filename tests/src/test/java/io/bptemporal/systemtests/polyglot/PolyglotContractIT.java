package io.bptemporal.systemtests.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.activity.worker.ActivityWorkerMain;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.worker.OrderSagaWorkerMain;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.worker.PipelineWorkerMain;
import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.scheduler.seed.DevSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The wire contract as another language sees it: clients written with the TypeScript SDK (npm) and
 * the Go SDK (module proxy), knowing only docs/contracts.md and the JSON Schemas ({@code
 * tests/polyglot}), drive the order saga, pipeline and activity workers — real OS processes started
 * as {@code make run} starts them — on the dev stack. Each client runs every workflow's happy path,
 * signals and queries, and every malformed payload of {@code tests/polyglot/cases.json}: each must
 * end within seconds in the documented typed failure naming the field, none stuck, none silently
 * changed, none with an effect. The clients print their counts; this test checks them and, in the
 * databases, that no malformed order or load left a row.
 */
@ExtendWith(DevStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolyglotContractIT {
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  /** A client's whole run: ~70 workflows, 6 at a time; generous for a busy 2-core machine. */
  private static final Duration CLIENT_WITHIN = Duration.ofMinutes(8);

  private static final String TABLE = "poly_customers";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String run = "r" + Long.toString(System.currentTimeMillis(), 36);
  private final List<WorkerProcess> workers = new ArrayList<>();
  private StackEndpoints stack;
  private Path logs;
  private int malformedCases;
  private int happyRuns;

  @BeforeAll
  void startWorkers(StackEndpoints stack) throws Exception {
    this.stack = stack;
    this.logs = Files.createDirectories(Polyglot.root().resolve("tests/target/polyglot"));
    JsonNode cases = JSON.readTree(Polyglot.root().resolve("tests/polyglot/cases.json").toFile());
    malformedCases = cases.path("cases").size();

    String ordersUrl =
        stack.postgres().ensureDatabase("poly_orders", "poly_orders", "poly-orders-dev");
    String pipelineUrl =
        stack.postgres().ensureDatabase("poly_pipeline", "poly_pipeline", "poly-pipeline-dev");
    preparePipelineDatabase(pipelineUrl);
    String activityUrl =
        stack.postgres().ensureDatabase("poly_activity", "poly_activity", "poly-activity-dev");
    String registryUrl = prepareRegistry();

    WorkerProcess saga =
        WorkerProcess.start(
            "order-saga-worker",
            WorkerProcess.moduleCommand(
                Polyglot.root().resolve("modules/workers-order-saga"),
                OrderSagaWorkerMain.class.getName(),
                List.of("-Xmx256m")),
            workerEnv("orders", ordersUrl, "poly_orders", "poly-orders-dev"),
            logs.resolve("order-saga-worker.log"));
    workers.add(saga);
    WorkerProcess pipeline =
        WorkerProcess.start(
            "pipeline-worker",
            WorkerProcess.moduleCommand(
                Polyglot.root().resolve("modules/workers-pipeline"),
                PipelineWorkerMain.class.getName(),
                List.of("-Xmx256m")),
            workerEnv("pipelines", pipelineUrl, "poly_pipeline", "poly-pipeline-dev"),
            logs.resolve("pipeline-worker.log"));
    workers.add(pipeline);
    Map<String, String> activityEnv =
        new java.util.HashMap<>(
            workerEnv("pipelines", activityUrl, "poly_activity", "poly-activity-dev"));
    activityEnv.putAll(
        Map.of(
            "REGISTRY_DB_URL",
            registryUrl,
            "REGISTRY_DB_USER",
            "poly_registry_reader",
            "REGISTRY_DB_PASSWORD",
            "poly-registry-reader-dev"));
    WorkerProcess activity =
        WorkerProcess.start(
            "activity-worker",
            WorkerProcess.moduleCommand(
                Polyglot.root().resolve("modules/workers-activity"),
                ActivityWorkerMain.class.getName(),
                List.of("-Xmx256m")),
            activityEnv,
            logs.resolve("activity-worker.log"));
    workers.add(activity);
    saga.awaitReady(READY_WITHIN);
    pipeline.awaitReady(READY_WITHIN);
    activity.awaitReady(READY_WITHIN);
    // The worker migrated its schema; the demo SKUs the clients order need stock.
    try (Connection c = stack.postgres().connect("poly_orders");
        Statement s = c.createStatement()) {
      s.execute("set role poly_orders");
      s.execute(
          "insert into inventory_stock (sku, available) values ('SKU-DEMO-MUG', 100000), ('SKU-DEMO-TEA', 100000)"
              + " on conflict (sku) do update set available = excluded.available");
    }
  }

  @AfterAll
  void stopWorkers() throws Exception {
    for (WorkerProcess worker : workers) {
      worker.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void typeScriptClientGetsTypedFailuresForEveryMalformedPayload() throws Exception {
    Polyglot.Result result = Polyglot.typeScript(logs).run(clientEnv(), CLIENT_WITHIN);
    // Raw-byte cases (duplicate keys, integers beyond 2^53) cannot be expressed as JavaScript
    // values.
    assertClean(result, malformedCases - rawCases());
  }

  @Test
  void goClientGetsTypedFailuresForEveryMalformedPayload() throws Exception {
    Polyglot.Result result = Polyglot.go(logs).run(clientEnv(), CLIENT_WITHIN);
    assertClean(result, malformedCases);
  }

  private void assertClean(Polyglot.Result result, int expectedTyped) throws Exception {
    JsonNode summary = result.summary();
    System.out.printf(
        "%s: %s (exit %d; full output %s)%n",
        result.sdk(), summary, result.exitCode(), result.log());
    assertThat(result.exitCode())
        .as("%s client exit status; output:%n%s", result.sdk(), result.failures())
        .isZero();
    assertThat(summary.path("payloads_tried").asInt()).isGreaterThanOrEqualTo(40);
    assertThat(summary.path("typed_failures").asInt()).isEqualTo(expectedTyped);
    assertThat(summary.path("stuck").asInt()).isZero();
    assertThat(summary.path("silently_changed").asInt()).isZero();
    assertThat(summary.path("with_effects").asInt()).isZero();
    assertThat(summary.path("wrong_failures").asInt()).isZero();
    assertThat(summary.path("malformed_signals_dropped").asInt()).isEqualTo(3);
    assertThat(summary.path("slowest_seconds").asDouble())
        .as("each ends within seconds")
        .isLessThan(30);

    // No effect of any malformed payload: no order, no ledger entry, no load, no run.
    String prefix = "poly-" + (result.sdk().equals("typescript") ? "ts" : "go") + "-" + run + "-m%";
    assertThat(count("poly_orders", "select count(*) from orders where order_id like ?", prefix))
        .isZero();
    assertThat(
            count(
                "poly_orders", "select count(*) from payment_ledger where order_id like ?", prefix))
        .isZero();
    assertThat(
            count(
                "poly_pipeline",
                "select count(*) from pipeline_checkpoint where pipeline_id like ?",
                prefix))
        .isZero();
    assertThat(
            count(
                "poly_pipeline",
                "select count(*) from pipeline_quarantine where pipeline_id like ?",
                prefix))
        .isZero();
    // Each client's one valid scheduled run is the only RunActivity that reached the database.
    happyRuns++;
    assertThat(
            count(
                "poly_activity",
                "select count(*) from activity_run where workflow_id like ?",
                "demo-tick-every-minute:%"))
        .isEqualTo(happyRuns);
  }

  private int rawCases() throws IOException {
    int raw = 0;
    for (JsonNode c :
        JSON.readTree(Polyglot.root().resolve("tests/polyglot/cases.json").toFile())
            .path("cases")) {
      raw += c.has("raw") ? 1 : 0;
    }
    return raw;
  }

  private long count(String database, String sql, String parameter) throws Exception {
    try (Connection c = stack.postgres().connect(database);
        var statement = c.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private Map<String, String> clientEnv() {
    return Map.of(
        "TEMPORAL_ADDRESS",
        stack.temporalAddress(),
        "POLY_RUN",
        run,
        "POLY_PIPELINE_TABLE",
        TABLE,
        "POLY_TIMEOUT_SECONDS",
        "90");
  }

  private Map<String, String> workerEnv(
      String namespace, String url, String user, String password) {
    return Map.of(
        "TEMPORAL_ADDRESS",
        stack.temporalAddress(),
        "TEMPORAL_NAMESPACE",
        namespace,
        "DB_URL",
        url,
        "DB_USER",
        user,
        "DB_PASSWORD",
        password,
        "LOG_FORMAT",
        "text",
        "SHUTDOWN_GRACE_SECONDS",
        "5");
  }

  /**
   * The activity registry as make run's scheduler leaves it: migrated, the dev seed rows, read
   * access granted to the role the activity worker logs in as. Returns its JDBC URL.
   */
  private String prepareRegistry() {
    String url =
        stack.postgres().ensureDatabase("poly_registry", "poly_registry", "poly-registry-dev");
    stack.postgres().ensureLoginRole("poly_registry_reader", "poly-registry-reader-dev");
    PGSimpleDataSource registry = new PGSimpleDataSource();
    registry.setUrl(url);
    registry.setUser("poly_registry");
    registry.setPassword("poly-registry-dev");
    RegistrySchema.migrate(registry);
    RegistryGrants.grantRead(registry, List.of("poly_registry_reader"));
    DevSeed.insert(new ActivityRegistry(registry));
    return url;
  }

  /**
   * What the pipeline worker's happy paths need, as make run's pipeline demo leaves it: a customers
   * table to reload.
   */
  private void preparePipelineDatabase(String url) throws Exception {
    PGSimpleDataSource pipeline = new PGSimpleDataSource();
    pipeline.setUrl(url);
    pipeline.setUser("poly_pipeline");
    pipeline.setPassword("poly-pipeline-dev");
    try (Connection c = pipeline.getConnection();
        Statement s = c.createStatement()) {
      s.execute(CustomerData.createTable(TABLE));
      s.execute(
          "insert into "
              + TABLE
              + " (customer_id, email, name, country, email_domain, credit_limit_cents, segment,"
              + " signup_date) values"
              + " ('cust-0001', 'ada@example.com', 'Ada Lovelace', 'GB', 'example.com', 250000, 'silver', date '2021-03-01'),"
              + " ('cust-0002', 'alan@example.org', 'Alan Turing', 'GB', 'example.org', 5000, 'standard', date '2022-06-23'),"
              + " ('cust-0003', 'grace@example.net', 'Grace Hopper', 'US', 'example.net', 2000000, 'gold', date '2020-12-09')"
              + " on conflict (customer_id) do nothing");
    }
  }
}
