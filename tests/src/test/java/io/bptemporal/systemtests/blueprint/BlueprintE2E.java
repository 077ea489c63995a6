package io.bptemporal.systemtests.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.devstack.FaultMatrix;
import io.bptemporal.localcluster.ClusterLayout;
import io.bptemporal.localcluster.junit.ClusterAddons;
import io.bptemporal.localcluster.junit.ClusterEndpoints;
import io.bptemporal.localcluster.junit.LocalClusterExtension;
import io.bptemporal.localcluster.junit.LocalOciRegistry;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.ordersaga.cli.OrderPlacer;
import io.bptemporal.ordersaga.cli.PlaceOrdersMain;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The blueprint as users meet it, on the real local cluster: the CNPG operator and the
 * prometheus-operator CRDs first, then {@code helm package} of the umbrella with the real upstream
 * subchart, pushed to a real OCI registry, and {@code helm install oci://…} with the minimal
 * scenario and a per-cluster overlay, in a namespace that enforces Pod Security {@code restricted}.
 * It must converge without a hand, do the platform's jobs through its Services, pass {@code helm
 * test}, take a day-2 upgrade under saga load without a failed saga, survive the cluster faults of
 * the fault suite under saga streams (CNPG primary deleted, each Temporal service pod deleted, a
 * worker image rollout: 0 lost, 0 duplicated, docs/reliability.md), roll back, and uninstall
 * leaving exactly what docs/chart.md says. Then the other scenarios that fit one node install and
 * work: 02 (observability), 05 (external PostgreSQL) and 08 (mutual TLS, certificates from
 * cert-manager). Ordered: each step builds on the last.
 */
@ExtendWith({LocalClusterExtension.class, ClusterEvidence.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlueprintE2E {
  static final String RELEASE = "bp-temporal";
  static final String NAMESPACE = "bp-temporal";

  /**
   * The release's own PostgreSQL (CNPG, scenario 01) and the one outside it that scenario 05 uses.
   */
  /**
   * The release's PostgreSQL signs in as the owner of each database, as its process does: every
   * process has a role and Secret of its own (postgres.mode cnpg), Temporal's databases belong to
   * the cluster owner.
   */
  private static final Map<String, String> RELEASE_ACCOUNTS =
      Map.of(
          "orders",
          "bp-temporal-order-saga-worker-db",
          "pipeline",
          "bp-temporal-pipeline-worker-db",
          "activity",
          "bp-temporal-activity-worker-db",
          "registry",
          "bp-temporal-scheduler-db");

  private static final Postgres RELEASE_DB =
      new Postgres(NAMESPACE, "bp-temporal-pg-rw", "bp-temporal-pg-app", RELEASE_ACCOUNTS);
  private static final String EXTERNAL_DB_NAMESPACE = "bp-temporal-external-db";
  private static final Postgres EXTERNAL_DB =
      new Postgres(EXTERNAL_DB_NAMESPACE, "external-pg-rw", "external-pg-app", Map.of());
  private static final Duration CONVERGE_LIMIT = Duration.ofMinutes(15);

  /**
   * Each new PostgreSQL instance joins with pg_basebackup, which waits for a spread checkpoint of
   * the primary (PostgreSQL's defaults: 90 % of checkpoint_timeout 5 min), one instance after the
   * other: about 10 minutes for two, more on a loaded machine.
   */
  private static final Duration SCALE_OUT_LIMIT = Duration.ofMinutes(30);

  private static final List<String> PROCESSES =
      List.of("order-saga-worker", "pipeline-worker", "activity-worker", "scheduler");
  private static final String PROCESS_ROLE_SECRETS =
      "bp-temporal-(order-saga-worker|pipeline-worker|activity-worker|scheduler)-db";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final E2eReport report = new E2eReport();
  private Path repo;
  private ClusterEndpoints cluster;
  private String postgresImage;
  private Path work;
  private LocalOciRegistry registry;
  private Helm helm;
  private String chartRef;
  private String chartVersion;
  private String imageTag;
  private List<Path> installValues;
  private Path day2Values;
  private TemporalConnection orders;
  private int dayTwoRevision;

  @BeforeAll
  void prepare(KubernetesClient client, ClusterEndpoints cluster) throws Exception {
    repo = ClusterLayout.discover().repo();
    this.cluster = cluster;
    work = ClusterEvidence.DIR.toAbsolutePath();
    Files.createDirectories(work);
    ClusterAddons.installCloudNativePg(client, cluster);
    ClusterAddons.installPrometheusOperatorCrds(client, cluster);
    helm = new Helm(cluster, work.resolve("helm-home"));
    removeLeftovers(client);
    deleteNamespace(client, EXTERNAL_DB_NAMESPACE);

    // helm package of the staged chart (the build's package phase put the real upstream subchart
    // into it).
    Path staged = Path.of("target", "helm", "chart", "bp-temporal").toAbsolutePath();
    assertThat(staged.resolve("charts/temporal-1.6.0.tgz"))
        .as("the upstream subchart in the staged chart")
        .exists();
    chartVersion =
        Files.readAllLines(staged.resolve("Chart.yaml")).stream()
            .filter(l -> l.startsWith("version:"))
            .map(l -> l.substring("version:".length()).trim())
            .findFirst()
            .orElseThrow();
    Path packages = work.resolve("packages");
    helm.run("package", staged.toString(), "--destination", packages.toString());
    registry = LocalOciRegistry.start(work.resolve("registry"));
    helm.run(
        "push",
        packages.resolve("bp-temporal-" + chartVersion + ".tgz").toString(),
        "oci://" + registry.host() + "/charts",
        "--plain-http");
    chartRef = "oci://" + registry.host() + "/charts/bp-temporal";

    imageTag = imageReference(cluster, "ghcr.io/bp-temporal/order-saga-worker:").split(":")[1];
    postgresImage = imageReference(cluster, "ghcr.io/cloudnative-pg/postgresql:");
    String overlay =
        resource("e2e/local-cluster-overlay.yaml")
            .replace("${TAG}", imageTag)
            .replace("${POSTGRES_IMAGE}", postgresImage);
    Path overlayFile = work.resolve("local-cluster-overlay.yaml");
    Files.writeString(overlayFile, overlay);
    day2Values = work.resolve("day2-production-like.yaml");
    Files.writeString(day2Values, resource("e2e/day2-production-like.yaml"));
    installValues = List.of(repo.resolve("chart/ci/01-minimal-values.yaml"), overlayFile);
  }

  @AfterAll
  void finish() throws Exception {
    if (orders != null) {
      orders.close();
    }
    if (registry != null) {
      registry.close();
    }
    report.print(work.resolve("report.md"));
  }

  @Test
  @Order(1)
  void installsFromTheOciRegistryAndConvergesWithoutAHand(KubernetesClient client)
      throws Exception {
    createRestrictedNamespace(client);
    long start = System.nanoTime();
    String notes = helm.run(releaseCommand("install", installValues));
    assertThat(notes)
        .contains("STATUS: deployed")
        .contains("helm test bp-temporal -n bp-temporal --filter");

    long seconds = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start);

    Map<String, Integer> restarts = Convergence.restarts(client, NAMESPACE);
    assertThat(Convergence.unexpectedRestarts(client, NAMESPACE))
        .as("restarts other than the schema wait (all: %s)", restarts)
        .isEmpty();
    assertThat(
            psql(
                NAMESPACE,
                "bp-temporal-pg-1",
                "temporal_visibility",
                "select extname from pg_extension where extname = 'btree_gin'"))
        .isEqualTo("btree_gin");
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .extracting(j -> j.getMetadata().getName())
        .anyMatch(n -> n.startsWith("bp-temporal-schema-"))
        .anyMatch(n -> n.startsWith("bp-temporal-namespace-"));
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems())
        .extracting(d -> d.getMetadata().getName())
        .contains(
            "bp-temporal-frontend",
            "bp-temporal-history",
            "bp-temporal-matching",
            "bp-temporal-worker",
            "bp-temporal-web",
            "bp-temporal-order-saga-worker",
            "bp-temporal-pipeline-worker",
            "bp-temporal-activity-worker",
            "bp-temporal-scheduler");
    report.row(
        "install 01-minimal + local overlay (restricted PSA)",
        seconds,
        "-",
        restartSummary(restarts));
  }

  /**
   * Least privilege in the database: each process signs in with its own CNPG managed role
   * (reconciled, Secret of its own), owns its own database, and no worker can write Temporal's
   * database, which the cluster owner keeps.
   */
  @Test
  @Order(2)
  void eachProcessUsesItsOwnRoleAndNoWorkerCanWriteTemporalsDatabase(KubernetesClient client)
      throws Exception {
    Map<String, String> roles =
        new java.util.LinkedHashMap<>(
            Map.of(
                "orders", "orders_worker", "pipeline", "pipeline_worker", "registry", "scheduler"));
    boolean activityWorker =
        client
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName("bp-temporal-activity-worker")
                .get()
            != null;
    if (activityWorker) {
      roles.put("activity", "activity_worker");
    }
    var status =
        client
            .genericKubernetesResources(Convergence.CNPG_CLUSTER)
            .inNamespace(NAMESPACE)
            .withName("bp-temporal-pg")
            .get()
            .getAdditionalProperties()
            .get("status");
    @SuppressWarnings("unchecked")
    Map<String, Object> managed =
        (Map<String, Object>) ((Map<String, Object>) status).get("managedRolesStatus");
    assertThat(managed).as("Cluster status.managedRolesStatus").isNotNull();
    assertThat(managed.get("cannotReconcile")).as("roles CNPG cannot reconcile").isNull();
    @SuppressWarnings("unchecked")
    Map<String, List<String>> byStatus = (Map<String, List<String>>) managed.get("byStatus");
    assertThat(byStatus.get("reconciled"))
        .as("reconciled managed roles")
        .containsAll(roles.values());

    for (var entry : roles.entrySet()) {
      assertThat(
              psql(
                  NAMESPACE,
                  "bp-temporal-pg-1",
                  "postgres",
                  "select pg_get_userbyid(datdba) from pg_database where datname = '"
                      + entry.getKey()
                      + "'"))
          .as("owner of database %s", entry.getKey())
          .isEqualTo(entry.getValue());
      // The pool of each process is open: its role has sessions on its database, the owner (app)
      // none.
      awaitPsql(
          "select coalesce(string_agg(distinct usename, ',' order by usename), '') from pg_stat_activity where datname = '"
              + entry.getKey()
              + "' and backend_type = 'client backend' and usename <> 'postgres'",
          users ->
              List.of(users.split(",")).contains(entry.getValue())
                  && !List.of(users.split(",")).contains("app"));
    }
    for (String temporalDb : List.of("temporal", "temporal_visibility")) {
      assertThat(
              psql(
                  NAMESPACE,
                  "bp-temporal-pg-1",
                  "postgres",
                  "select pg_get_userbyid(datdba) from pg_database where datname = '"
                      + temporalDb
                      + "'"))
          .as("owner of %s", temporalDb)
          .isEqualTo("app");
    }
    try (Connection temporal =
        RELEASE_DB.connectAs(client, "bp-temporal-order-saga-worker-db", "temporal")) {
      assertRefused(temporal, "create table e2e_intruder (id int)");
      assertRefused(temporal, "insert into executions default values");
      assertRefused(temporal, "delete from namespaces");
    }
    report.row("own role per process; orders_worker refused on Temporal's tables", -1, "-", "-");
  }

  /** The statement fails for lack of privilege (SQLSTATE 42501), not for any other reason. */
  private static void assertRefused(Connection db, String sql) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> execute(db, sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(((SQLException) e).getSQLState())
                    .as("SQLSTATE of %s: %s", sql, e.getMessage())
                    .isEqualTo("42501"));
  }

  /**
   * Waits (at most 2 minutes) until the operator's psql on the release's primary answers {@code
   * sql} with what {@code done} accepts.
   */
  private void awaitPsql(String sql, java.util.function.Predicate<String> done) {
    Awaitility.await("'" + sql + "'")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(psql(NAMESPACE, "bp-temporal-pg-1", "postgres", sql))
                    .as(sql)
                    .matches(done));
  }

  @Test
  @Order(3)
  void orderSagasCompleteAndCompensateThroughTheFrontendService(KubernetesClient client)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        PlaceOrdersMain.run(
            List.of("--demo"),
            Environment.of(ordersEnv(client, RELEASE_DB)::get),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("the demo orders on the cluster:%n%s", printed).isZero();
    assertThat(printed).contains("COMPLETED").contains("REFUND_PAYMENT").contains("CANCEL_ORDER");
    report.row("order saga demo (1 completes, 3 compensate)", -1, "4/0", "-");
  }

  @Test
  @Order(4)
  void theWebUiListsTheSagasWithTheirHistories(KubernetesClient client) throws Exception {
    String web = "http://" + serviceIp(client, "bp-temporal-web") + ":8080";
    String list =
        get(
            web
                + "/api/v1/namespaces/orders/workflows?query="
                + URLEncoder.encode("WorkflowType = 'OrderSagaWorkflow'", StandardCharsets.UTF_8));
    assertThat(list)
        .contains("\"workflowId\": \"order:o-demo-")
        .contains("WORKFLOW_EXECUTION_STATUS_COMPLETED")
        .contains("WORKFLOW_EXECUTION_STATUS_FAILED");
    String id =
        list.substring(
            list.indexOf("\"workflowId\": \"order:o-demo-") + "\"workflowId\": \"".length());
    id = id.substring(0, id.indexOf('"'));
    String history =
        get(
            web
                + "/api/v1/namespaces/orders/workflows/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8)
                + "/history");
    assertThat(history)
        .as("history of %s", id)
        .contains("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED")
        .contains("EVENT_TYPE_ACTIVITY_TASK_COMPLETED");
  }

  @Test
  @Order(5)
  void everyProcessPodAnswersPrometheusMetrics(KubernetesClient client) throws Exception {
    for (String process : PROCESSES) {
      List<Pod> pods =
          client
              .pods()
              .inNamespace(NAMESPACE)
              .withLabel("app.kubernetes.io/component", process)
              .list()
              .getItems();
      assertThat(pods).as(process).isNotEmpty();
      for (Pod pod : pods) {
        String metrics = get("http://" + pod.getStatus().getPodIP() + ":9464/metrics");
        assertThat(metrics)
            .as(pod.getMetadata().getName())
            .contains("# TYPE jvm_info gauge")
            .contains("service=\"" + process + "\"");
      }
    }
  }

  @Test
  @Order(6)
  void aRegistryRowBecomesAScheduleThatRunsOnTheActivityWorkerWhichOnlyReadsTheRegistry(
      KubernetesClient client) throws Exception {
    String activity = "e2e-every-10s";
    try (Connection registryDb = RELEASE_DB.connect(client, "registry")) {
      execute(
          registryDb,
          "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, input, trigger, owner)"
              + " values ('"
              + activity
              + "', 'pipelines', 'RunActivityWorkflow', 'activities-tq', '{}',"
              + " '{\"intervals\": [{\"every\": \"10s\"}]}', 'e2e')");
      awaitRow(
          registryDb,
          "select status || ': ' || message from activity_schedule_status where activity_id = '"
              + activity
              + "'",
          v -> v.startsWith("OK"),
          Duration.ofMinutes(3));
    }
    try (Connection activityDb = RELEASE_DB.connect(client, "activity")) {
      awaitRow(
          activityDb,
          "select outcome from activity_run where activity_id = '"
              + activity
              + "' and outcome = 'TASKS_CREATED'"
              + " limit 1",
          "TASKS_CREATED"::equals,
          Duration.ofMinutes(3));
    }
    // The activity worker's role reads the registry (the scheduler granted it SELECT) and cannot
    // change it.
    try (Connection asActivityWorker =
        RELEASE_DB.connectAs(client, "bp-temporal-activity-worker-db", "registry")) {
      assertThat(
              query(
                  asActivityWorker,
                  "select count(*) from activity_definition where activity_id = '"
                      + activity
                      + "'"))
          .isEqualTo("1");
      assertRefused(
          asActivityWorker,
          "insert into activity_definition (activity_id) values ('e2e-intruder')");
      assertRefused(asActivityWorker, "update activity_definition set enabled = false");
      assertRefused(asActivityWorker, "create table e2e_intruder (id int)");
    }
    try (Connection registryDb = RELEASE_DB.connect(client, "registry")) {
      execute(
          registryDb,
          "update activity_definition set enabled = false where activity_id = '" + activity + "'");
    }
    report.row(
        "registry row -> Schedule -> RunActivity on the activity worker (registry read-only)",
        -1,
        "-",
        "-");
  }

  @Test
  @Order(7)
  void aSmallPipelineLoadCompletesWithItsBadRowsQuarantined(KubernetesClient client)
      throws Exception {
    try (Connection db = RELEASE_DB.connect(client, "pipeline")) {
      execute(
          db,
          "create table e2e_customers_src (customer_id text primary key, email text, name text, country text,"
              + " credit_limit_cents bigint, signup_date date)",
          "insert into e2e_customers_src select 'c-' || lpad(i::text, 7, '0'), case when i % 100 = 7 then 'broken' else"
              + " 'user' || i || '@example.com' end, 'Customer ' || i, 'DE', i * 10, date '2021-01-01' + i"
              + " from generate_series(0, 1999) i",
          CustomerData.createTable("e2e_customers"));
    }
    PipelineRequest request =
        new PipelineRequest(
            "e2e-customers",
            SourceSpec.postgres(
                "select customer_id, email, name, country, credit_limit_cents, signup_date from e2e_customers_src"),
            "e2e_customers",
            List.of("customer_id"),
            CustomerRuleSets.CUSTOMERS_V1,
            250,
            1_000);
    try (TemporalConnection pipelines = connection(client, "pipelines", "pipelines-tq")) {
      DataPipelineWorkflow workflow =
          pipelines
              .client(List.of())
              .newWorkflowStub(
                  DataPipelineWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(WorkflowIds.dataPipeline("e2e-customers"))
                      .setTaskQueue("pipelines-tq")
                      .build());
      WorkflowClient.start(workflow::run, request);
      PipelineResult result =
          WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.MINUTES, PipelineResult.class);
      assertThat(result.read()).isEqualTo(2_000);
      assertThat(result.quarantined()).isEqualTo(20);
      assertThat(result.loaded()).isEqualTo(1_980);
    }
    try (Connection db = RELEASE_DB.connect(client, "pipeline")) {
      assertThat(query(db, "select count(*) from e2e_customers")).isEqualTo("1980");
    }
    report.row("pipeline 2,000 rows (20 bad) from PostgreSQL", -1, "-", "-");
  }

  @Test
  @Order(8)
  void helmTestPassesWithItsHardenedPods() {
    String out = helmTest();
    assertThat(out)
        .contains("bp-temporal-test-temporal-health")
        .contains("bp-temporal-test-order-saga-worker-polls")
        .contains("bp-temporal-test-pipeline-worker-polls")
        .contains("bp-temporal-test-activity-worker-polls")
        .doesNotContain("Phase:          Failed");
  }

  @Test
  @Order(9)
  void aDayTwoUpgradeToProductionLikeSettingsFailsNoSaga(KubernetesClient client) throws Exception {
    seedLoadStock(client);
    List<String> upgrade =
        releaseCommand("upgrade", List.of(installValues.get(0), installValues.get(1), day2Values));
    try (SagaLoad load = new SagaLoad(placer(client), "upgrade", 4)) {
      load.awaitCompleted(5, Duration.ofMinutes(3));
      long start = System.nanoTime();
      helm.run(upgrade);
      long seconds = Convergence.await(client, NAMESPACE, SCALE_OUT_LIMIT, start);
      int before = load.completed();
      load.awaitCompleted(before + 10, Duration.ofMinutes(5));
      SagaLoad.Outcome outcome = load.stop();
      report.row(
          "helm upgrade: 3 PG instances, 2 replicas, PDBs",
          seconds,
          outcome.completed() + "/" + outcome.failed(),
          restartSummary(Convergence.restarts(client, NAMESPACE)));
      assertThat(outcome.failed()).as("sagas during the upgrade: %s", outcome).isZero();
      assertThat(Convergence.unexpectedRestarts(client, NAMESPACE)).as("restarts").isEmpty();
    }
    dayTwoRevision = revision();
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .contains(
            "bp-temporal-order-saga-worker",
            "bp-temporal-pipeline-worker",
            "bp-temporal-activity-worker",
            "bp-temporal-scheduler");
    assertThat(
            psql(
                NAMESPACE,
                "bp-temporal-pg-1",
                "orders",
                "select count(*) from pg_stat_replication"))
        .isEqualTo("2");
  }

  /**
   * Issue 19's cluster faults, first: the CNPG primary's pod deleted while sagas run on the three
   * instances of day 2 (grace period 1 s, as CloudNativePG's documentation simulates a failed
   * primary; a plain delete would first wait up to {@code smartShutdownTimeout}, 180 s, for
   * sessions to end). A replica must take over, the -rw Service follow it, and no saga fail.
   */
  @Test
  @Order(10)
  void theDatabasePrimaryFailsOverUnderASagaStreamWithoutLosingASaga(KubernetesClient client)
      throws Exception {
    String oldPrimary = cnpgStatus(client).get("currentPrimary").toString();
    String[] newPrimary = new String[1];
    FaultResult result =
        underFault(
            client,
            "cluster-pg-primary",
            "pg primary deletes",
            "fault-pg",
            new ClusterFault() {
              @Override
              public String inject() {
                client
                    .pods()
                    .inNamespace(NAMESPACE)
                    .withName(oldPrimary)
                    .withGracePeriod(1)
                    .delete();
                return "deleted the primary's pod " + oldPrimary + " (grace period 1 s)";
              }

              @Override
              public String awaitHealed() {
                Awaitility.await("a new primary accepting writes through bp-temporal-pg-rw")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(
                        () -> {
                          Map<String, Object> status = cnpgStatus(client);
                          Object current = status.get("currentPrimary");
                          assertThat(current)
                              .as("Cluster status: phase %s", status.get("phase"))
                              .isNotNull()
                              .isNotEqualTo(oldPrimary)
                              .isEqualTo(status.get("targetPrimary"));
                          assertThat(RELEASE_DB.acceptsWrites(client, "orders"))
                              .as("a write (txid_current) through bp-temporal-pg-rw")
                              .isEmpty();
                          newPrimary[0] = current.toString();
                        });
                return "new primary " + newPrimary[0] + " accepts writes through bp-temporal-pg-rw";
              }
            });
    assertThat(newPrimary[0]).as("the primary after the failover").isNotEqualTo(oldPrimary);
    report.row(
        "fault: CNPG primary " + oldPrimary + " deleted under load -> " + newPrimary[0],
        Math.round(result.recoverySeconds()),
        result.outcome().completed() + "/" + result.outcome().failed(),
        restartSummary(Convergence.restarts(client, NAMESPACE)));
  }

  /**
   * Issue 19's cluster faults, next: each Temporal service's pod deleted once (one replica each, as
   * installed) while sagas run; the Deployment replaces it, and no saga may fail.
   */
  @Test
  @Order(11)
  void eachTemporalServicePodIsDeletedOnceUnderASagaStreamWithoutLosingASaga(
      KubernetesClient client) throws Exception {
    for (String service : List.of("frontend", "history", "matching", "worker")) {
      String deployment = "bp-temporal-" + service;
      String deleted =
          podsOf(client, deployment).stream()
              .map(p -> p.getMetadata().getName())
              .findFirst()
              .orElseThrow(() -> new AssertionError("no pod of " + deployment));
      String[] replacement = new String[1];
      FaultResult result =
          underFault(
              client,
              "cluster-temporal-" + service,
              service + " pod deletes",
              "fault-" + service,
              new ClusterFault() {
                @Override
                public String inject() {
                  client.pods().inNamespace(NAMESPACE).withName(deleted).delete();
                  return "deleted Temporal " + service + " pod " + deleted;
                }

                @Override
                public String awaitHealed() {
                  Awaitility.await("a new pod of " + deployment + " Ready")
                      .atMost(Duration.ofMinutes(5))
                      .pollInterval(Duration.ofMillis(500))
                      .untilAsserted(
                          () -> {
                            List<String> ready =
                                podsOf(client, deployment).stream()
                                    .filter(p -> !p.getMetadata().getName().equals(deleted))
                                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                                    .filter(BlueprintE2E::ready)
                                    .map(p -> p.getMetadata().getName())
                                    .toList();
                            assertThat(ready).as("Ready pods of %s", deployment).isNotEmpty();
                            replacement[0] = ready.getFirst();
                          });
                  return "new pod " + replacement[0] + " Ready";
                }
              });
      report.row(
          "fault: Temporal " + service + " pod deleted under load",
          Math.round(result.recoverySeconds()),
          result.outcome().completed() + "/" + result.outcome().failed(),
          restartSummary(Convergence.restarts(client, NAMESPACE)));
    }
  }

  @Test
  @Order(12)
  void aNewImageTagOfAWorkerRollsOutUnderLoad(KubernetesClient client, ClusterEndpoints cluster)
      throws Exception {
    // The same image under a new tag in the node's image store: a real rollout of a new image
    // reference.
    String newTag = imageTag + "-e2e";
    ClusterLayout layout = ClusterLayout.discover();
    cluster.run(
        List.of(
            "ctr",
            "--address",
            layout.containerdSocket().toString(),
            "-n",
            "k8s.io",
            "images",
            "tag",
            "--force",
            "ghcr.io/bp-temporal/order-saga-worker:" + imageTag,
            "ghcr.io/bp-temporal/order-saga-worker:" + newTag));
    List<String> upgrade =
        releaseCommand(
            "upgrade",
            List.of(installValues.get(0), installValues.get(1), day2Values),
            "--set",
            "workers.orderSaga.image.tag=" + newTag);
    long[] start = new long[1];
    long[] converged = new long[1];
    FaultResult result =
        underFault(
            client,
            "cluster-saga-worker-rollout",
            "deployment rolls",
            "rollout",
            new ClusterFault() {
              @Override
              public String inject() {
                start[0] = System.nanoTime();
                helm.run(upgrade);
                return "helm upgrade: order-saga worker image tag " + newTag;
              }

              @Override
              public String awaitHealed() {
                converged[0] = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start[0]);
                assertThat(orderSagaImage(client)).endsWith(":" + newTag);
                return "rolled out (both replicas on the new tag, the release converged)";
              }
            });
    report.row(
        "order-saga-worker new image tag, rolled under load",
        converged[0],
        result.outcome().completed() + "/" + result.outcome().failed(),
        restartSummary(Convergence.restarts(client, NAMESPACE)));
  }

  @Test
  @Order(13)
  void helmRollbackReturnsToTheDayTwoRevision(KubernetesClient client) throws Exception {
    long start = System.nanoTime();
    helm.run("rollback", RELEASE, Integer.toString(dayTwoRevision), "-n", NAMESPACE);
    long seconds = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start);
    assertThat(orderSagaImage(client)).endsWith(":" + imageTag);
    try (SagaLoad load = new SagaLoad(placer(client), "rollback", 4)) {
      load.awaitCompleted(10, Duration.ofMinutes(3));
      SagaLoad.Outcome outcome = load.stop();
      report.row(
          "helm rollback to revision " + dayTwoRevision,
          seconds,
          outcome.completed() + "/" + outcome.failed(),
          restartSummary(Convergence.restarts(client, NAMESPACE)));
      assertThat(outcome.failed()).as("sagas after the rollback: %s", outcome).isZero();
      assertThat(Convergence.unexpectedRestarts(client, NAMESPACE)).as("restarts").isEmpty();
    }
  }

  @Test
  @Order(14)
  void uninstallLeavesExactlyTheDatabaseClusterAndWhatItOwns(KubernetesClient client)
      throws Exception {
    if (orders != null) {
      orders.close();
      orders = null;
    }
    long ordersBefore;
    try (Connection db = RELEASE_DB.connect(client, "orders")) {
      ordersBefore = Long.parseLong(query(db, "select count(*) from orders"));
    }
    helm.run("uninstall", RELEASE, "-n", NAMESPACE, "--wait", "--timeout", "5m");
    // Kept on purpose (postgres.cnpg.keepOnUninstall): the CNPG Cluster, and what CNPG owns through
    // it.
    // CNPG's own instance pods and the Jobs it ran to create them (initdb, join) belong to the
    // Cluster.
    awaitOnly(
        client,
        () ->
            client.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .toList(),
        n -> n.matches("bp-temporal-pg-\\d+(-(initdb|join)-[a-z0-9]+)?"));
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .extracting(j -> j.getMetadata().getName())
        .allSatisfy(n -> assertThat(n).matches("bp-temporal-pg-\\d+-(initdb|join)"));
    assertThat(
            client
                .genericKubernetesResources(Convergence.CNPG_DATABASE)
                .inNamespace(NAMESPACE)
                .list()
                .getItems())
        .isEmpty();
    assertThat(
            client
                .genericKubernetesResources(Convergence.CNPG_CLUSTER)
                .inNamespace(NAMESPACE)
                .list()
                .getItems())
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("bp-temporal-pg");
    assertThat(client.services().inNamespace(NAMESPACE).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("bp-temporal-pg-r", "bp-temporal-pg-ro", "bp-temporal-pg-rw");
    assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
        .hasSize(3)
        .allSatisfy(
            pvc ->
                assertThat(pvc.getMetadata().getOwnerReferences())
                    .extracting(o -> o.getKind())
                    .containsExactly("Cluster"));
    // The processes' role Secrets are kept with the Cluster (their roles live in it): a new install
    // keeps the passwords.
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems())
        .allSatisfy(
            s ->
                assertThat(s.getMetadata().getName())
                    .as("secret left after uninstall")
                    .matches("bp-temporal-pg-.*|" + PROCESS_ROLE_SECRETS));
    assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .allSatisfy(n -> assertThat(n).matches("kube-root-ca\\.crt|bp-temporal-pg-.*|cnpg-.*"));

    // A new install of the release adopts the kept Cluster and finds the data as it was.
    long start = System.nanoTime();
    helm.run(releaseCommand("install", installValues));
    long seconds = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start);
    try (Connection db = RELEASE_DB.connect(client, "orders")) {
      assertThat(Long.parseLong(query(db, "select count(*) from orders")))
          .as("orders kept across uninstall and install")
          .isEqualTo(ordersBefore)
          .isPositive();
    }
    report.row(
        "uninstall, then install again on the kept data",
        seconds,
        "-",
        restartSummary(Convergence.restarts(client, NAMESPACE)));
    helm.run("uninstall", RELEASE, "-n", NAMESPACE, "--wait", "--timeout", "5m");

    // Dropping the data is the explicit second step docs/chart.md names: delete the Cluster.
    client
        .genericKubernetesResources(Convergence.CNPG_CLUSTER)
        .inNamespace(NAMESPACE)
        .withName("bp-temporal-pg")
        .delete();
    awaitOnly(
        client,
        () ->
            client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .toList(),
        n -> false);
    client.namespaces().withName(NAMESPACE).delete();
    client.namespaces().withName(NAMESPACE).waitUntilCondition(n -> n == null, 5, TimeUnit.MINUTES);
  }

  /**
   * The other scenario that fits one node: 02-full-observability (the prometheus-operator CRDs are
   * installed, so its ServiceMonitors, PodMonitors, PrometheusRule and dashboards are accepted;
   * traces go to a collector that does not exist here, which must not keep a process from being
   * ready).
   */
  @Test
  @Order(15)
  void theFullObservabilityScenarioInstallsAndConverges(KubernetesClient client) throws Exception {
    createRestrictedNamespace(client);
    long start = System.nanoTime();
    helm.run(
        releaseCommand(
            "install",
            List.of(
                repo.resolve("chart/ci/02-full-observability-values.yaml"), installValues.get(1))));
    long seconds = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start);
    assertThat(Convergence.unexpectedRestarts(client, NAMESPACE)).as("restarts").isEmpty();
    for (String plural : List.of("servicemonitors", "podmonitors", "prometheusrules")) {
      var context =
          new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
              .withGroup("monitoring.coreos.com")
              .withVersion("v1")
              .withPlural(plural)
              .withNamespaced(true)
              .build();
      assertThat(
              client.genericKubernetesResources(context).inNamespace(NAMESPACE).list().getItems())
          .as(plural)
          .isNotEmpty();
    }
    report.row(
        "scenario 02-full-observability + local overlay",
        seconds,
        "-",
        restartSummary(Convergence.restarts(client, NAMESPACE)));
    removeLeftovers(client);
  }

  /**
   * 05-external-postgres: the release on a PostgreSQL it does not own. The suite plays the DBA of a
   * server in another namespace (CNPG runs it only because it is the PostgreSQL at hand): it
   * creates the databases, the account and btree_gin, hands the account and the server's CA over as
   * Secrets, and installs the scenario with only the address changed. The processes verify the
   * server's certificate (verify-full); Temporal's history and the orders land there.
   */
  @Test
  @Order(16)
  void theExternalPostgresScenarioRunsOnAPostgresqlOutsideTheRelease(KubernetesClient client)
      throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(EXTERNAL_DB_NAMESPACE)
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            resource("e2e/external-postgres.yaml").replace("${POSTGRES_IMAGE}", postgresImage))
        .inNamespace(EXTERNAL_DB_NAMESPACE)
        .create();
    Convergence.await(client, EXTERNAL_DB_NAMESPACE, CONVERGE_LIMIT, System.nanoTime());
    for (String database :
        List.of("temporal_visibility", "orders", "pipeline", "activity", "registry")) {
      psql(
          EXTERNAL_DB_NAMESPACE,
          "external-pg-1",
          "postgres",
          "create database " + database + " owner bp_temporal");
    }
    psql(
        EXTERNAL_DB_NAMESPACE,
        "external-pg-1",
        "temporal_visibility",
        "create extension btree_gin");

    createRestrictedNamespace(client);
    Map<String, String> account =
        Map.of(
            "username",
            EXTERNAL_DB.secret(client, "postgres", "username"),
            "password",
            EXTERNAL_DB.secret(client, "postgres", "password"));
    String ca =
        new String(
            Base64.getDecoder()
                .decode(
                    client
                        .secrets()
                        .inNamespace(EXTERNAL_DB_NAMESPACE)
                        .withName("external-pg-ca")
                        .get()
                        .getData()
                        .get("ca.crt")),
            StandardCharsets.UTF_8);
    for (var secret :
        Map.of("bp-temporal-db", account, "bp-temporal-db-ca", Map.of("ca.crt", ca)).entrySet()) {
      client
          .secrets()
          .inNamespace(NAMESPACE)
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName(secret.getKey())
                  .endMetadata()
                  .withStringData(secret.getValue())
                  .build())
          .create();
    }
    Path externalOverlay = work.resolve("external-postgres-overlay.yaml");
    Files.writeString(externalOverlay, resource("e2e/external-postgres-overlay.yaml"));

    long start = System.nanoTime();
    helm.run(
        releaseCommand(
            "install",
            List.of(
                repo.resolve("chart/ci/05-external-postgres-values.yaml"),
                installValues.get(1),
                externalOverlay)));
    long seconds = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start);
    assertThat(Convergence.unexpectedRestarts(client, NAMESPACE)).as("restarts").isEmpty();
    assertThat(
            client
                .genericKubernetesResources(Convergence.CNPG_CLUSTER)
                .inNamespace(NAMESPACE)
                .list()
                .getItems())
        .as("no PostgreSQL of the release's own")
        .isEmpty();
    String saga =
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName("bp-temporal-order-saga-worker")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst()
            .getEnv()
            .stream()
            .filter(e -> e.getName().equals("DB_URL"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(saga)
        .isEqualTo(
            "jdbc:postgresql://external-pg-rw.bp-temporal-external-db.svc:5432/orders?sslmode=verify-full"
                + "&sslrootcert=/etc/bp-temporal/postgres-ca/ca.crt");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        PlaceOrdersMain.run(
            List.of("--demo"),
            Environment.of(ordersEnv(client, EXTERNAL_DB)::get),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(status)
        .as("the demo orders on the external PostgreSQL:%n%s", out.toString(StandardCharsets.UTF_8))
        .isZero();
    try (Connection orders = EXTERNAL_DB.connect(client, "orders");
        Connection temporal = EXTERNAL_DB.connect(client, "temporal")) {
      assertThat(Long.parseLong(query(orders, "select count(*) from orders")))
          .as("orders in the external database")
          .isPositive();
      assertThat(
              Long.parseLong(
                  query(
                      temporal,
                      "select count(*) from executions where workflow_id like 'order:o-demo-%'")))
          .as("the four demo sagas in Temporal's tables there")
          .isEqualTo(4);
    }
    report.row(
        "scenario 05-external-postgres (PostgreSQL in another namespace, verify-full)",
        seconds,
        "4/0",
        restartSummary(Convergence.restarts(client, NAMESPACE)));
    removeLeftovers(client);
    deleteNamespace(client, EXTERNAL_DB_NAMESPACE);
  }

  /**
   * 08-tls: mutual TLS on every port of the release's Temporal, every certificate issued by
   * cert-manager (its certificate controllers, installed here) from the chart's own CA (the
   * scenario's ClusterIssuer swapped for the default: {@code tls.issuerRef.name} empty). The
   * release must converge with every Certificate Ready - the server's services talking to each
   * other over the internode certificate, the processes polling with their own client certificates
   * - and then run the demo sagas, list them in the Web UI (which reaches the frontend with the
   * tools certificate) and pass {@code helm test} (its pods dial with the same). A client without a
   * certificate of the release is refused, in plain text and over TLS alike.
   */
  @Test
  @Order(17)
  void theTlsScenarioGetsItsCertificatesFromCertManagerAndRunsSagasOverMutualTls(
      KubernetesClient client) throws Exception {
    ClusterAddons.installCertManager(client, cluster);
    createRestrictedNamespace(client);
    Path ownCa = work.resolve("tls-own-ca.yaml");
    Files.writeString(ownCa, "tls:\n  issuerRef:\n    name: \"\"\n");
    long start = System.nanoTime();
    helm.run(
        releaseCommand(
            "install",
            List.of(repo.resolve("chart/ci/08-tls-values.yaml"), installValues.get(1), ownCa)));
    long seconds = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, start);
    assertThat(Convergence.unexpectedRestarts(client, NAMESPACE)).as("restarts").isEmpty();

    var certificates =
        new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
            .withGroup("cert-manager.io")
            .withVersion("v1")
            .withPlural("certificates")
            .withNamespaced(true)
            .build();
    Map<String, String> readiness = new java.util.TreeMap<>();
    for (var certificate :
        client.genericKubernetesResources(certificates).inNamespace(NAMESPACE).list().getItems()) {
      readiness.put(certificate.getMetadata().getName(), readyCondition(certificate));
    }
    assertThat(readiness)
        .as("cert-manager's Certificates of the release and their Ready condition")
        .containsOnlyKeys(
            "bp-temporal-ca",
            "bp-temporal-internode-tls",
            "bp-temporal-frontend-tls",
            "bp-temporal-tools-tls",
            "bp-temporal-order-saga-worker-tls",
            "bp-temporal-pipeline-worker-tls",
            "bp-temporal-activity-worker-tls",
            "bp-temporal-scheduler-tls")
        .allSatisfy((name, ready) -> assertThat(ready).as(name).isEqualTo("True"));

    // The tools certificate, as the Web UI and the admin tools hold it.
    Path tls = work.resolve("tls-tools");
    Files.createDirectories(tls);
    for (String key : List.of("ca.crt", "tls.crt", "tls.key")) {
      Files.writeString(
          tls.resolve(key), RELEASE_DB.secretValue(client, "bp-temporal-tools-tls", key));
    }
    Map<String, String> mtls = ordersEnv(client, RELEASE_DB);
    mtls.put("TEMPORAL_TLS_ENABLED", "true");
    mtls.put("TEMPORAL_TLS_CA_FILE", tls.resolve("ca.crt").toString());
    mtls.put("TEMPORAL_TLS_CERT_FILE", tls.resolve("tls.crt").toString());
    mtls.put("TEMPORAL_TLS_KEY_FILE", tls.resolve("tls.key").toString());
    mtls.put("TEMPORAL_TLS_SERVER_NAME", "bp-temporal-frontend");

    // No certificate, no call: plain text, and TLS that trusts the CA but presents nothing.
    Map<String, String> caOnly = new HashMap<>(mtls);
    caOnly.remove("TEMPORAL_TLS_CERT_FILE");
    caOnly.remove("TEMPORAL_TLS_KEY_FILE");
    for (Map<String, String> refused : List.of(ordersEnv(client, RELEASE_DB), caOnly)) {
      Environment environment = Environment.of(refused::get);
      TemporalSettings settings =
          TemporalSettings.fromEnvironment(environment, "orders", "orders-tq");
      environment.validate();
      try (TemporalConnection connection = TemporalConnection.open(settings, Optional.empty())) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () ->
                    connection
                        .stubs()
                        .blockingStub()
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getSystemInfo(
                            io.temporal.api.workflowservice.v1.GetSystemInfoRequest
                                .getDefaultInstance()))
            .as("a call with TLS settings %s", settings.tls())
            .isInstanceOf(io.grpc.StatusRuntimeException.class);
      }
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        PlaceOrdersMain.run(
            List.of("--demo"),
            Environment.of(mtls::get),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("the demo orders over mutual TLS:%n%s", printed).isZero();
    assertThat(printed).contains("COMPLETED").contains("REFUND_PAYMENT").contains("CANCEL_ORDER");

    String web = "http://" + serviceIp(client, "bp-temporal-web") + ":8080";
    assertThat(
            get(
                web
                    + "/api/v1/namespaces/orders/workflows?query="
                    + URLEncoder.encode(
                        "WorkflowType = 'OrderSagaWorkflow'", StandardCharsets.UTF_8)))
        .as("the Web UI's list, read from the frontend over mutual TLS")
        .contains("\"workflowId\": \"order:o-demo-")
        .contains("WORKFLOW_EXECUTION_STATUS_COMPLETED");

    String tests = helmTest();
    assertThat(tests)
        .contains("bp-temporal-test-temporal-health")
        .contains("bp-temporal-test-order-saga-worker-polls")
        .doesNotContain("Phase:          Failed");
    report.row(
        "scenario 08-tls (cert-manager, chart's own CA, mutual TLS)",
        seconds,
        "4/0",
        restartSummary(Convergence.restarts(client, NAMESPACE)));
    removeLeftovers(client);
  }

  /** {@code helm test} of the release, without upstream's unhardened test pod (docs/chart.md). */
  private String helmTest() {
    return helm.run(
        "test",
        RELEASE,
        "-n",
        NAMESPACE,
        "--filter",
        "!name=bp-temporal-test-cluster-health",
        "--timeout",
        "5m");
  }

  @SuppressWarnings("unchecked")
  private static String readyCondition(
      io.fabric8.kubernetes.api.model.GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map)
        || !(map.get("conditions") instanceof List<?> conditions)) {
      return "no status";
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> "Ready".equals(c.get("type")))
        .map(
            c ->
                "True".equals(c.get("status")) ? "True" : c.get("status") + ": " + c.get("message"))
        .findFirst()
        .orElse("no Ready condition");
  }

  /** One fault of the cluster part of the fault suite (docs/reliability.md, row 6). */
  private interface ClusterFault {
    /** Breaks something; what it did, for the log. */
    String inject() throws Exception;

    /** Waits (bounded) until what was broken is replaced; what replaced it, for the log. */
    String awaitHealed() throws Exception;
  }

  /**
   * What a fault cost: the sagas of the stream, seconds from the injection to the replacement
   * (healed) and to the completion of the first saga started after that (recovery), the longest
   * stretch in between without a completed saga, and the orders with an effect twice.
   */
  private record FaultResult(
      SagaLoad.Outcome outcome,
      double healedSeconds,
      double recoverySeconds,
      double stallSeconds,
      long duplicated) {}

  /** Sagas kept in flight by the fault scenarios' streams (as many as the rollout's). */
  private static final int FAULT_IN_FLIGHT = 8;

  /**
   * Runs {@code fault} in the middle of a saga stream of its own, as the dev stack's fault suite
   * counts: waits for the stream to flow, injects, waits until healed and until a saga started
   * after that has completed, waits until the whole release has converged again (so the next fault
   * meets a whole platform), drains the stream, checks the orders database, prints the {@code
   * faults:} line (before the assertions, so that a failing run still shows it) and asserts 0 lost,
   * 0 duplicated, every completed saga's effects exactly once, and no unexpected restart.
   */
  private FaultResult underFault(
      KubernetesClient client, String scenario, String kind, String phase, ClusterFault fault)
      throws Exception {
    long begin = System.nanoTime();
    try (SagaLoad load = new SagaLoad(placer(client), phase, FAULT_IN_FLIGHT)) {
      load.awaitCompleted(5, Duration.ofMinutes(3));
      int inFlight = load.inFlight();
      long injected = System.nanoTime();
      String what = fault.inject();
      String healed = fault.awaitHealed();
      long healedAt = System.nanoTime();
      long recovered = load.awaitCompletionOfASagaStartedAfter(healedAt, Duration.ofMinutes(5));
      long converged = Convergence.await(client, NAMESPACE, CONVERGE_LIMIT, injected);
      SagaLoad.Outcome outcome = load.stop();
      OrderEffects effects = orderEffects(client, load.orderIdPrefix());
      FaultResult result =
          new FaultResult(
              outcome,
              (healedAt - injected) / 1e9,
              (recovered - injected) / 1e9,
              load.longestStall(injected, recovered),
              effects.duplicated());
      System.out.printf(
          java.util.Locale.ROOT,
          "fault %s: %s with %d sagas in flight; healed after %.1f s: %s; the first saga started"
              + " after that completed %.1f s after the fault; longest stretch without a completed"
              + " saga %.1f s; the release converged again after %d s%n"
              + "  sagas: %s; orders database: %s%n",
          scenario,
          what,
          inFlight,
          result.healedSeconds(),
          healed,
          result.recoverySeconds(),
          result.stallSeconds(),
          converged,
          outcome,
          effects);
      FaultMatrix.record(
          FaultMatrix.line(
              scenario,
              Map.of(kind, 1),
              outcome.started(),
              outcome.failed(),
              effects.duplicated(),
              result.recoverySeconds(),
              (System.nanoTime() - begin) / 1e9));
      assertThat(outcome.failed()).as("sagas lost to %s: %s", scenario, outcome).isZero();
      assertThat(effects.duplicated()).as("orders with an effect twice: %s", effects).isZero();
      assertThat(effects.exactlyOnce())
          .as("completed sagas whose order has its effects exactly once: %s", effects)
          .isEqualTo(outcome.completed());
      assertThat(Convergence.unexpectedRestarts(client, NAMESPACE)).as("restarts").isEmpty();
      return result;
    }
  }

  /**
   * The orders of a stream as the orders database holds them: how many have a charge, reservation
   * or confirmation more than once (the schema's unique keys forbid it; counted as the dev stack's
   * SagaAudit counts), and how many have exactly what a completed order must — one charge and no
   * refund, a held reservation, a confirmation in the outbox, status CONFIRMED.
   */
  private record OrderEffects(long orders, long duplicated, long exactlyOnce) {
    @Override
    public String toString() {
      return orders
          + " orders, "
          + duplicated
          + " with an effect twice, "
          + exactlyOnce
          + " confirmed with one charge, one reservation and one confirmation";
    }
  }

  private static OrderEffects orderEffects(KubernetesClient client, String orderIdPrefix)
      throws SQLException {
    String like = orderIdPrefix + "%";
    try (Connection db = RELEASE_DB.connect(client, "orders");
        var statement =
            db.prepareStatement(
                """
                select (select count(*) from orders where order_id like ?),
                  (select count(distinct order_id) from (
                    select order_id from payment_ledger where entry_kind = 'CHARGE' and order_id like ?
                      group by order_id having count(*) > 1
                    union all select order_id from inventory_reservations where order_id like ?
                      group by order_id having count(*) > 1
                    union all select order_id from notification_outbox where order_id like ?
                      group by order_id having count(*) > 1) d),
                  (select count(*) from orders o where o.order_id like ? and o.status = 'CONFIRMED'
                    and (select count(*) from payment_ledger p where p.order_id = o.order_id
                      and p.entry_kind = 'CHARGE') = 1
                    and not exists (select 1 from payment_ledger p where p.order_id = o.order_id
                      and p.entry_kind <> 'CHARGE')
                    and (select count(*) from inventory_reservations r where r.order_id = o.order_id
                      and r.status = 'RESERVED') = 1
                    and (select count(*) from notification_outbox n where n.order_id = o.order_id) = 1)
                """)) {
      for (int i = 1; i <= 5; i++) {
        statement.setString(i, like);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new OrderEffects(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  /** The release's CNPG Cluster's status (currentPrimary, targetPrimary, phase, …). */
  private static Map<String, Object> cnpgStatus(KubernetesClient client) {
    return Convergence.map(
        client
            .genericKubernetesResources(Convergence.CNPG_CLUSTER)
            .inNamespace(NAMESPACE)
            .withName("bp-temporal-pg")
            .get()
            .getAdditionalProperties()
            .get("status"));
  }

  private static List<Pod> podsOf(KubernetesClient client, String deployment) {
    Map<String, String> selector =
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName(deployment)
            .get()
            .getSpec()
            .getSelector()
            .getMatchLabels();
    return client.pods().inNamespace(NAMESPACE).withLabels(selector).list().getItems();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The release and its namespace, data included: before the first install (an interrupted run may
   * have left them) and after a scenario.
   */
  private void removeLeftovers(KubernetesClient client) {
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      return;
    }
    System.out.println("e2e: removing the release and namespace " + NAMESPACE);
    helm.run(
        "uninstall", RELEASE, "-n", NAMESPACE, "--ignore-not-found", "--wait", "--timeout", "5m");
    client.genericKubernetesResources(Convergence.CNPG_DATABASE).inNamespace(NAMESPACE).delete();
    client.genericKubernetesResources(Convergence.CNPG_CLUSTER).inNamespace(NAMESPACE).delete();
    deleteNamespace(client, NAMESPACE);
  }

  /**
   * The release's namespace with Pod Security "restricted" enforced: every pod of the release,
   * upstream's and CNPG's included, must be hardened.
   */
  private static void createRestrictedNamespace(KubernetesClient client) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
  }

  private static void deleteNamespace(KubernetesClient client, String namespace) {
    client.namespaces().withName(namespace).delete();
    client.namespaces().withName(namespace).waitUntilCondition(n -> n == null, 5, TimeUnit.MINUTES);
  }

  /**
   * {@code helm install|upgrade} of the release from the OCI registry, in its namespace (created by
   * the step, with its Pod Security label), with these values files in order and any extra flags.
   */
  private List<String> releaseCommand(String verb, List<Path> values, String... extra) {
    List<String> command =
        new ArrayList<>(
            List.of(
                verb,
                RELEASE,
                chartRef,
                "--version",
                chartVersion,
                "--plain-http",
                "-n",
                NAMESPACE));
    command.addAll(Helm.valuesArgs(values));
    command.addAll(List.of(extra));
    return command;
  }

  private int revision() {
    String status = helm.run("status", RELEASE, "-n", NAMESPACE);
    return status
        .lines()
        .filter(l -> l.startsWith("REVISION:"))
        .map(l -> Integer.parseInt(l.substring(9).trim()))
        .findFirst()
        .orElseThrow();
  }

  private static String orderSagaImage(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("bp-temporal-order-saga-worker")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst()
        .getImage();
  }

  private OrderPlacer placer(KubernetesClient client) {
    if (orders == null) {
      orders = connection(client, "orders", "orders-tq");
    }
    return new OrderPlacer(
        orders.client(List.of()),
        "orders-tq",
        URI.create("http://" + serviceIp(client, "bp-temporal-web") + ":8080"));
  }

  private void seedLoadStock(KubernetesClient client) throws SQLException {
    try (Connection db = RELEASE_DB.connect(client, "orders")) {
      execute(
          db,
          "insert into inventory_stock (sku, available) values ('"
              + SagaLoad.SKU
              + "', 1000000)"
              + " on conflict (sku) do update set available = excluded.available");
    }
  }

  /**
   * The client settings a process in the cluster gets, with the frontend Service's address as this
   * host reaches it.
   */
  private TemporalConnection connection(
      KubernetesClient client, String namespace, String taskQueue) {
    Map<String, String> env =
        Map.of(
            "TEMPORAL_ADDRESS",
            serviceIp(client, "bp-temporal-frontend") + ":7233",
            "TEMPORAL_NAMESPACE",
            namespace,
            "TEMPORAL_TASK_QUEUE",
            taskQueue);
    Environment environment = Environment.of(env::get);
    TemporalSettings settings = TemporalSettings.fromEnvironment(environment, namespace, taskQueue);
    environment.validate();
    return TemporalConnection.open(settings, Optional.empty());
  }

  private Map<String, String> ordersEnv(KubernetesClient client, Postgres postgres) {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", serviceIp(client, "bp-temporal-frontend") + ":7233");
    env.put("TEMPORAL_UI_URL", "http://" + serviceIp(client, "bp-temporal-web") + ":8080");
    env.put("DB_URL", postgres.jdbcUrl(client, "orders"));
    env.put("DB_USER", postgres.secret(client, "orders", "username"));
    env.put("DB_PASSWORD", postgres.secret(client, "orders", "password"));
    env.put("LOG_FORMAT", "text");
    env.put("LOG_LEVEL", "WARN");
    return env;
  }

  private static String serviceIp(KubernetesClient client, String service) {
    return client
        .services()
        .inNamespace(NAMESPACE)
        .withName(service)
        .get()
        .getSpec()
        .getClusterIP();
  }

  /**
   * A PostgreSQL as this host reaches it: the read-write Service's ClusterIP (TLS required, not
   * verified from here) and the Secret of its account.
   */
  private record Postgres(
      String namespace,
      String service,
      String accountSecret,
      Map<String, String> accountByDatabase) {
    String jdbcUrl(KubernetesClient client, String database) {
      String ip =
          client.services().inNamespace(namespace).withName(service).get().getSpec().getClusterIP();
      return "jdbc:postgresql://" + ip + ":5432/" + database + "?sslmode=require";
    }

    /** A key of the account that owns {@code database} (its process's own, else the shared one). */
    String secret(KubernetesClient client, String database, String key) {
      return secretValue(client, accountByDatabase.getOrDefault(database, accountSecret), key);
    }

    String secretValue(KubernetesClient client, String name, String key) {
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      assertThat(secret).as("Secret %s/%s", namespace, name).isNotNull();
      return new String(
          Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    Connection connect(KubernetesClient client, String database) throws SQLException {
      return DriverManager.getConnection(
          jdbcUrl(client, database),
          secret(client, database, "username"),
          secret(client, database, "password"));
    }

    /**
     * Whether the read-write Service's server takes a write now ({@code txid_current()} needs a
     * primary), on a new connection with short timeouts: empty when it does, else why not.
     */
    Optional<String> acceptsWrites(KubernetesClient client, String database) {
      try (Connection db =
              DriverManager.getConnection(
                  jdbcUrl(client, database) + "&connectTimeout=3&socketTimeout=5",
                  secret(client, database, "username"),
                  secret(client, database, "password"));
          Statement s = db.createStatement()) {
        s.execute("select txid_current()");
        return Optional.empty();
      } catch (SQLException e) {
        return Optional.of(e.getSQLState() + ": " + e.getMessage());
      }
    }

    /** {@code database} as the role in Secret {@code account}, whatever database that role owns. */
    Connection connectAs(KubernetesClient client, String account, String database)
        throws SQLException {
      return DriverManager.getConnection(
          jdbcUrl(client, database),
          secretValue(client, account, "username"),
          secretValue(client, account, "password"));
    }
  }

  private static void execute(Connection db, String... statements) throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static String query(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static void awaitRow(
      Connection db, String sql, java.util.function.Predicate<String> done, Duration limit) {
    Awaitility.await("'" + sql + "'")
        .atMost(limit)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(query(db, sql)).as(sql).isNotNull().matches(done));
  }

  /**
   * SQL as the operator runs it: psql as the postgres user in the instance pod's postgres
   * container.
   */
  private String psql(String namespace, String pod, String database, String sql) {
    return cluster
        .run(
            cluster.kubectlCommand(
                "-n",
                namespace,
                "exec",
                pod,
                "-c",
                "postgres",
                "--",
                "psql",
                "-d",
                database,
                "-tAc",
                sql))
        .trim();
  }

  /** Waits (at most 5 minutes) until every name {@code names} lists is {@code allowed}. */
  private static void awaitOnly(
      KubernetesClient client,
      java.util.function.Supplier<List<String>> names,
      java.util.function.Predicate<String> allowed) {
    Awaitility.await("only the allowed objects left")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(names.get()).as("still there").allMatch(allowed));
  }

  private String get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
    return response.body();
  }

  private static String imageReference(ClusterEndpoints cluster, String prefix) throws Exception {
    List<String> refs =
        Files.readAllLines(cluster.imageIndex()).stream()
            .map(l -> l.split("\t")[0])
            .filter(r -> r.startsWith(prefix))
            .toList();
    assertThat(refs).as("images starting with %s in %s", prefix, cluster.imageIndex()).hasSize(1);
    return refs.getFirst();
  }

  private static String resource(String name) throws Exception {
    try (var in = BlueprintE2E.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String restartSummary(Map<String, Integer> restarts) {
    int server =
        restarts.entrySet().stream()
            .filter(e -> Convergence.waitsForTheSchema(e.getKey()))
            .mapToInt(Map.Entry::getValue)
            .sum();
    int others =
        restarts.entrySet().stream()
            .filter(e -> !Convergence.waitsForTheSchema(e.getKey()))
            .mapToInt(Map.Entry::getValue)
            .sum();
    return "Temporal (schema wait) " + server + ", others " + others;
  }
}
