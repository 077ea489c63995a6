package io.bptemporal.systemtests.chart;

import static io.bptemporal.systemtests.chart.ProcessWorkloadTest.container;
import static io.bptemporal.systemtests.chart.ProcessWorkloadTest.env;
import static io.bptemporal.systemtests.chart.ProcessWorkloadTest.envVars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The event router ({@code eventRouter}, {@code broker}): nothing of it without the switch; with
 * it, the same pod shape as the other processes, the broker connection by Secret reference only, a
 * read-only registry role of its own, and a network policy that opens the broker's ports to it and
 * nothing but the metrics port from outside. Scenario 07 is the example. Bad broker values are in
 * {@link ValuesRejectionTest}.
 */
class EventRouterChartTest {

  private static final String ROUTER = "bp-temporal-event-router";
  private static final RenderRequest MINIMAL =
      RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"));
  private static final RenderRequest SCENARIO = RenderCases.scenario("07-event-router-values.yaml");

  /** The router on a PLAINTEXT broker, without network policy: the least a user sets. */
  private static final RenderRequest PLAIN =
      MINIMAL.set(
          "eventRouter.enabled=true",
          "broker.bootstrapServers={kafka-0.kafka:9092,kafka-1.kafka:9092,kafka-ext.example:19092}");

  @Test
  void offByDefaultNothingOfTheRouterIsRendered() {
    for (RenderRequest request :
        List.of(
            MINIMAL,
            RenderCases.scenario("04-network-policy-values.yaml"),
            RenderCases.scenario("05-external-postgres-values.yaml"),
            RenderCases.scenario("06-production-like-values.yaml"))) {
      RenderedManifest manifest = RenderCases.render(request);
      for (RenderedManifest.RenderedObject object : manifest.objects()) {
        String text = object.body().toString();
        assertThat(text)
            .as(object.id())
            .doesNotContain(
                "event-router", "event_router", "KAFKA_", "ROUTER_", "RELAY_", "kafka-tls");
      }
    }
    // The broker's values are inert without the router: a half-set broker does not fail the render;
    // nor does a relay asking for an outbox whose worker is off.
    RenderedManifest manifest =
        RenderCases.render(
            MINIMAL.set(
                "broker.securityProtocol=SASL_SSL",
                "workers.orderSaga.enabled=false",
                "eventRouter.relay.sources={orders}"));
    assertThat(manifest.find("Deployment", ROUTER)).isEmpty();
    assertThat(env(manifest.get("Deployment", "bp-temporal-scheduler"), "REGISTRY_READER_ROLES"))
        .isEqualTo("activity_worker");
  }

  @Test
  void switchedOnItRendersEveryObjectOfAProcess() {
    RenderedManifest manifest = RenderCases.render(SCENARIO);
    for (String kind :
        List.of("ServiceAccount", "Service", "Deployment", "PodDisruptionBudget", "Secret")) {
      String name = kind.equals("Secret") ? ROUTER + "-db" : ROUTER;
      assertThat(manifest.find(kind, name)).as(kind + " " + name).isPresent();
    }
    assertThat(
            manifest.get("ServiceAccount", ROUTER).at("/automountServiceAccountToken").asBoolean())
        .isFalse();
    JsonNode service = manifest.get("Service", ROUTER).body();
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("metrics");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(9464);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("management");
    assertThat(service.at("/spec/ports")).hasSize(1);
    assertThat(service.at("/spec/selector/app.kubernetes.io~1component").asText())
        .isEqualTo("event-router");

    RenderedManifest.RenderedObject deployment = manifest.get("Deployment", ROUTER);
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
    assertThat(container(deployment).path("image").asText())
        .isEqualTo("ghcr.io/bp-temporal/event-router:3f9c2a1b7d4e");
    assertThat(manifest.get("PodDisruptionBudget", ROUTER).at("/spec/maxUnavailable").asInt())
        .isEqualTo(1);
    assertThat(manifest.find("HorizontalPodAutoscaler", ROUTER)).isEmpty();

    RenderedManifest scaled =
        RenderCases.render(
            SCENARIO.set(
                "eventRouter.autoscaling.enabled=true",
                "eventRouter.image.digest=sha256:" + "e".repeat(64)));
    JsonNode hpa = scaled.get("HorizontalPodAutoscaler", ROUTER).body();
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(ROUTER);
    assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
    assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(3);
    assertThat(scaled.get("Deployment", ROUTER).at("/spec/replicas").isMissingNode()).isTrue();
    assertThat(container(scaled.get("Deployment", ROUTER)).path("image").asText())
        .isEqualTo("ghcr.io/bp-temporal/event-router:3f9c2a1b7d4e@sha256:" + "e".repeat(64));

    // A process like the others: probes, metrics Service, ServiceMonitor.
    RenderedManifest monitored =
        RenderCases.render(SCENARIO.set("observability.serviceMonitor.enabled=true"));
    assertThat(monitored.get("ServiceMonitor", ROUTER).at("/spec/endpoints/0/port").asText())
        .isEqualTo("metrics");
    JsonNode c = container(deployment);
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(9464);
  }

  @Test
  void theBrokerConnectionComesFromValuesAndSecretReferencesOnly() {
    RenderedManifest.RenderedObject deployment =
        RenderCases.render(SCENARIO).get("Deployment", ROUTER);
    Map<String, JsonNode> vars = envVars(deployment);
    assertThat(env(deployment, "KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo("bp-kafka-kafka-bootstrap.kafka.svc:9093");
    assertThat(env(deployment, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
    assertThat(env(deployment, "KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
    for (String[] secretVar :
        new String[][] {{"KAFKA_SASL_USERNAME", "username"}, {"KAFKA_SASL_PASSWORD", "password"}}) {
      JsonNode var = vars.get(secretVar[0]);
      assertThat(var).as(secretVar[0]).isNotNull();
      assertThat(var.has("value")).as(secretVar[0] + " literal").isFalse();
      assertThat(var.at("/valueFrom/secretKeyRef/name").asText())
          .isEqualTo("bp-temporal-event-router-kafka");
      assertThat(var.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(secretVar[1]);
    }
    assertThat(env(deployment, "KAFKA_TLS_TRUSTSTORE"))
        .isEqualTo("/etc/bp-temporal/kafka-tls/ca.crt");
    assertThat(env(deployment, "ROUTER_TOPICS")).isEqualTo("bp.events");
    assertThat(env(deployment, "ROUTER_DLQ_TOPIC")).isEqualTo("bp.events.dlq");
    assertThat(vars.get("ROUTER_GROUP_INSTANCE_ID").at("/valueFrom/fieldRef/fieldPath").asText())
        .as("static group membership by pod name")
        .isEqualTo("metadata.name");
    // The truststore: only the CA item of the Secret (Strimzi's also holds a PKCS#12 store and its
    // password), read-only.
    JsonNode volume = volume(deployment, "kafka-tls");
    assertThat(volume.at("/secret/secretName").asText()).isEqualTo("bp-kafka-cluster-ca-cert");
    assertThat(volume.at("/secret/items")).hasSize(1);
    assertThat(volume.at("/secret/items/0/key").asText()).isEqualTo("ca.crt");
    JsonNode mount = mount(deployment, "kafka-tls");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/bp-temporal/kafka-tls");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    // The common contract every process gets.
    assertThat(env(deployment, "TEMPORAL_ADDRESS"))
        .isEqualTo("bp-temporal-frontend.bp-temporal.svc:7233");
    assertThat(env(deployment, "TEMPORAL_NAMESPACE")).isEqualTo("pipelines");
    assertThat(env(deployment, "MANAGEMENT_PORT")).isEqualTo("9464");
    assertThat(env(deployment, "OTEL_SERVICE_NAME")).isEqualTo("event-router");
    assertThat(vars).doesNotContainKey("TEMPORAL_TASK_QUEUE");

    // PLAINTEXT: several servers joined, other topics, no SASL or TLS at all.
    RenderedManifest.RenderedObject plain =
        RenderCases.render(
                PLAIN.set(
                    "broker.topics.events=orders.events", "broker.topics.deadLetter=orders.dlq"))
            .get("Deployment", ROUTER);
    assertThat(env(plain, "KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092,kafka-ext.example:19092");
    assertThat(env(plain, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("PLAINTEXT");
    assertThat(env(plain, "ROUTER_TOPICS")).isEqualTo("orders.events");
    assertThat(env(plain, "ROUTER_DLQ_TOPIC")).isEqualTo("orders.dlq");
    assertThat(envVars(plain))
        .doesNotContainKeys(
            "KAFKA_SASL_MECHANISM",
            "KAFKA_SASL_USERNAME",
            "KAFKA_SASL_PASSWORD",
            "KAFKA_TLS_TRUSTSTORE");
    assertThat(volume(plain, "kafka-tls").isMissingNode()).isTrue();

    // SSL with the JVM's default trust store: no mount either.
    RenderedManifest.RenderedObject ssl =
        RenderCases.render(PLAIN.set("broker.securityProtocol=SSL")).get("Deployment", ROUTER);
    assertThat(env(ssl, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("SSL");
    assertThat(envVars(ssl)).doesNotContainKeys("KAFKA_TLS_TRUSTSTORE", "KAFKA_SASL_USERNAME");
    assertThat(volume(ssl, "kafka-tls").isMissingNode()).isTrue();
  }

  /**
   * The router reads the registry with a role of its own, which owns nothing: a CNPG managed role
   * with a generated Secret, no Database, granted SELECT by the scheduler.
   */
  @Test
  void itReadsTheRegistryWithAReadOnlyRoleOfItsOwn() {
    RenderedManifest manifest = RenderCases.render(SCENARIO);
    RenderedManifest.RenderedObject deployment = manifest.get("Deployment", ROUTER);
    assertThat(env(deployment, "REGISTRY_DB_URL"))
        .isEqualTo("jdbc:postgresql://bp-temporal-pg-rw:5432/registry?sslmode=require");
    for (String var : List.of("REGISTRY_DB_USER", "REGISTRY_DB_PASSWORD")) {
      assertThat(envVars(deployment).get(var).at("/valueFrom/secretKeyRef/name").asText())
          .as(var)
          .isEqualTo("bp-temporal-event-router-db");
    }
    // No database of its own, so none of the DB_* of the database-owning processes.
    assertThat(envVars(deployment))
        .doesNotContainKeys("DB_URL", "DB_USER", "DB_PASSWORD", "DB_POOL_SIZE");
    assertThat(env(manifest.get("Deployment", "bp-temporal-scheduler"), "REGISTRY_READER_ROLES"))
        .isEqualTo("activity_worker,event_router");

    JsonNode role = null;
    for (JsonNode r : manifest.get("Cluster", "bp-temporal-pg").at("/spec/managed/roles")) {
      if (r.path("name").asText().equals("event_router")) {
        role = r;
      }
    }
    assertThat(role).as("managed role event_router").isNotNull();
    assertThat(role.path("login").asBoolean()).isTrue();
    for (String power :
        List.of("superuser", "createdb", "createrole", "replication", "bypassrls")) {
      assertThat(role.path(power).asBoolean(true)).as(power).isFalse();
    }
    assertThat(role.path("inRoles").isMissingNode()).isTrue();
    assertThat(role.at("/passwordSecret/name").asText()).isEqualTo("bp-temporal-event-router-db");
    RenderedManifest.RenderedObject secret = manifest.get("Secret", "bp-temporal-event-router-db");
    assertThat(secret.at("/stringData/username").asText()).isEqualTo("event_router");
    assertThat(manifest.ofKind("Database"))
        .extracting(o -> o.at("/spec/owner").asText())
        .doesNotContain("event_router");
    assertThat(manifest.ofKind("Database")).hasSize(5);

    // External PostgreSQL: its own account when it names one (and the scheduler grants that role),
    // else the shared one (which owns the registry already: no grant).
    RenderRequest external =
        RenderCases.scenario("05-external-postgres-values.yaml")
            .set("eventRouter.enabled=true", "broker.bootstrapServers={kafka:9092}");
    RenderedManifest shared = RenderCases.render(external);
    assertThat(
            envVars(shared.get("Deployment", ROUTER))
                .get("REGISTRY_DB_USER")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("bp-temporal-db");
    assertThat(envVars(shared.get("Deployment", "bp-temporal-scheduler")))
        .doesNotContainKey("REGISTRY_READER_ROLES");
    RenderedManifest own =
        RenderCases.render(
            external.set(
                "eventRouter.database.existingSecret=router-account",
                "eventRouter.database.role=router_reader"));
    assertThat(
            envVars(own.get("Deployment", ROUTER))
                .get("REGISTRY_DB_PASSWORD")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("router-account");
    assertThat(env(own.get("Deployment", ROUTER), "REGISTRY_DB_URL"))
        .endsWith("/registry?sslmode=verify-full&sslrootcert=/etc/bp-temporal/postgres-ca/ca.crt");
    assertThat(env(own.get("Deployment", "bp-temporal-scheduler"), "REGISTRY_READER_ROLES"))
        .isEqualTo("router_reader");
  }

  /**
   * Its connections count towards max_connections: 3 per pod (registry pool 2 + LISTEN), plus 2 per
   * relayed outbox (RelaySettings.POOL_SIZE).
   */
  @Test
  void theConnectionBudgetCountsTheRouterAndItsRelay() {
    // 01-minimal: Temporal 4 x 30 + 8 process pods x 10 + activity worker 2 x 2 + reserve 20 = 224;
    // the router adds 2 pods x (3 + 2 outboxes x 2) = 14.
    HelmBinary.Run tight =
        RenderCases.chart().template(PLAIN.set("postgres.cnpg.parameters.max_connections=237"));
    assertThat(tight.succeeded()).isFalse();
    assertThat(tight.stderr())
        .contains(
            "max_connections is 237 but the platform can open 238",
            "event router 3 on the registry + 2 per relayed outbox");
    assertThat(
            RenderCases.chart()
                .template(PLAIN.set("postgres.cnpg.parameters.max_connections=238"))
                .succeeded())
        .isTrue();
    assertThat(
            RenderCases.chart()
                .template(
                    PLAIN.set(
                        "postgres.cnpg.parameters.max_connections=244",
                        "eventRouter.autoscaling.enabled=true"))
                .stderr())
        .contains("can open 245"); // HPA maximum 3 pods x 7
    // One outbox: 2 x (3 + 2); the relay off: 2 x 3.
    assertThat(
            RenderCases.chart()
                .template(
                    PLAIN.set(
                        "postgres.cnpg.parameters.max_connections=100",
                        "eventRouter.relay.sources={activity}"))
                .stderr())
        .contains("can open 234");
    assertThat(
            RenderCases.chart()
                .template(
                    PLAIN.set(
                        "postgres.cnpg.parameters.max_connections=100",
                        "eventRouter.relay.enabled=false"))
                .stderr())
        .contains("can open 230");
  }

  /**
   * The outbox relay (on with the router): the router reads each relayed worker's database with its
   * own account, the one of REGISTRY_DB_*, and publishes to broker.topics.outbox; each relayed
   * worker grants the router's role on its outbox (OUTBOX_RELAY_ROLES), nobody else does.
   */
  @Test
  void theRelayReadsEachWorkersOutboxWithTheRoutersOwnRole() {
    RenderedManifest manifest = RenderCases.render(SCENARIO);
    RenderedManifest.RenderedObject router = manifest.get("Deployment", ROUTER);
    assertThat(env(router, "RELAY_SOURCES")).isEqualTo("activity,orders");
    assertThat(env(router, "RELAY_ACTIVITY_DB_URL"))
        .isEqualTo("jdbc:postgresql://bp-temporal-pg-rw:5432/activity?sslmode=require");
    assertThat(env(router, "RELAY_ORDERS_DB_URL"))
        .isEqualTo("jdbc:postgresql://bp-temporal-pg-rw:5432/orders?sslmode=require");
    Map<String, JsonNode> vars = envVars(router);
    for (String source : List.of("ACTIVITY", "ORDERS")) {
      for (String[] secretVar : new String[][] {{"USER", "username"}, {"PASSWORD", "password"}}) {
        String name = "RELAY_" + source + "_DB_" + secretVar[0];
        JsonNode var = vars.get(name);
        assertThat(var).as(name).isNotNull();
        assertThat(var.has("value")).as(name + " literal").isFalse();
        // The same account as REGISTRY_DB_*: the router's managed role.
        assertThat(var.at("/valueFrom/secretKeyRef"))
            .as(name)
            .isEqualTo(vars.get("REGISTRY_DB_" + secretVar[0]).at("/valueFrom/secretKeyRef"));
        assertThat(var.at("/valueFrom/secretKeyRef/name").asText())
            .isEqualTo("bp-temporal-event-router-db");
        assertThat(var.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(secretVar[1]);
      }
    }
    assertThat(env(router, "RELAY_TOPIC")).isEqualTo("bp.outbox");
    // Tuning stays with the router's defaults (extraEnv sets it).
    assertThat(vars)
        .doesNotContainKeys(
            "RELAY_BATCH_SIZE", "RELAY_POLL_INTERVAL_MILLIS", "RELAY_MAX_BACKOFF_SECONDS");
    assertThat(env(manifest.get("Deployment", "bp-temporal-activity-worker"), "OUTBOX_RELAY_ROLES"))
        .isEqualTo("event_router");
    assertThat(
            env(manifest.get("Deployment", "bp-temporal-order-saga-worker"), "OUTBOX_RELAY_ROLES"))
        .isEqualTo("event_router");
    for (String other : List.of("bp-temporal-pipeline-worker", "bp-temporal-scheduler", ROUTER)) {
      assertThat(envVars(manifest.get("Deployment", other)))
          .as(other)
          .doesNotContainKey("OUTBOX_RELAY_ROLES");
    }
    // The role it logs in with owns no database: it gets the outboxes by the workers' grants only.
    assertThat(manifest.ofKind("Database"))
        .extracting(o -> o.at("/spec/owner").asText())
        .doesNotContain("event_router");

    // Another topic, another role name: both follow.
    RenderedManifest renamed =
        RenderCases.render(
            SCENARIO.set("broker.topics.outbox=orders.outbox", "eventRouter.database.role=router"));
    assertThat(env(renamed.get("Deployment", ROUTER), "RELAY_TOPIC")).isEqualTo("orders.outbox");
    assertThat(env(renamed.get("Deployment", "bp-temporal-activity-worker"), "OUTBOX_RELAY_ROLES"))
        .isEqualTo("router");
  }

  /** Only the outboxes listed, or of the workers deployed; off removes every trace of it. */
  @Test
  void theRelayFollowsItsSourcesTheDeployedWorkersAndItsSwitch() {
    RenderedManifest activityOnly =
        RenderCases.render(SCENARIO.set("eventRouter.relay.sources={activity}"));
    assertRelays(activityOnly, "activity");
    RenderedManifest ordersOnly =
        RenderCases.render(SCENARIO.set("eventRouter.relay.sources={orders}"));
    assertRelays(ordersOnly, "orders");
    // Empty sources: the outbox of each relayed worker the release deploys.
    RenderedManifest withoutSaga =
        RenderCases.render(SCENARIO.set("workers.orderSaga.enabled=false"));
    assertRelays(withoutSaga, "activity");
    RenderedManifest neither =
        RenderCases.render(
            SCENARIO.set("workers.orderSaga.enabled=false", "workers.activity.enabled=false"));
    assertRelays(neither);

    RenderedManifest off = RenderCases.render(SCENARIO.set("eventRouter.relay.enabled=false"));
    assertRelays(off);
    for (RenderedManifest.RenderedObject deployment : off.processDeployments()) {
      assertThat(container(deployment).path("env").toString())
          .as(deployment.id())
          .doesNotContain("RELAY_");
    }
    // The router itself is unchanged: broker and registry as before.
    assertThat(env(off.get("Deployment", ROUTER), "ROUTER_TOPICS")).isEqualTo("bp.events");
    assertThat(envVars(off.get("Deployment", ROUTER))).containsKey("REGISTRY_DB_URL");
  }

  /** The relay's databases and grants follow the account rules of external PostgreSQL. */
  @Test
  void inExternalModeTheRelayUsesTheRoutersAccountAndGrantsOnlyARoleOfItsOwn() {
    RenderRequest external =
        RenderCases.scenario("05-external-postgres-values.yaml")
            .set("eventRouter.enabled=true", "broker.bootstrapServers={kafka:9092}");
    RenderedManifest shared = RenderCases.render(external);
    RenderedManifest.RenderedObject router = shared.get("Deployment", ROUTER);
    assertThat(env(router, "RELAY_ORDERS_DB_URL"))
        .isEqualTo(
            "jdbc:postgresql://pg.databases.example.internal:5432/orders?sslmode=verify-full"
                + "&sslrootcert=/etc/bp-temporal/postgres-ca/ca.crt");
    assertThat(
            envVars(router).get("RELAY_ORDERS_DB_USER").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("bp-temporal-db");
    // The shared account owns the outboxes already: nobody is granted anything.
    for (RenderedManifest.RenderedObject deployment : shared.processDeployments()) {
      assertThat(envVars(deployment)).as(deployment.id()).doesNotContainKey("OUTBOX_RELAY_ROLES");
    }
    RenderedManifest own =
        RenderCases.render(
            external.set(
                "eventRouter.database.existingSecret=router-account",
                "eventRouter.database.role=router_reader"));
    assertThat(
            envVars(own.get("Deployment", ROUTER))
                .get("RELAY_ACTIVITY_DB_PASSWORD")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("router-account");
    for (String worker : List.of("bp-temporal-activity-worker", "bp-temporal-order-saga-worker")) {
      assertThat(env(own.get("Deployment", worker), "OUTBOX_RELAY_ROLES"))
          .as(worker)
          .isEqualTo("router_reader");
    }
  }

  /** The relay's alert: an outbox row older than 5 minutes for 10 minutes, per outbox. */
  @Test
  void anOutboxThatDoesNotDrainAlerts() {
    RenderedManifest manifest =
        RenderCases.render(RenderCases.scenario("02-full-observability-values.yaml"));
    JsonNode alert = null;
    for (JsonNode group : manifest.ofKind("PrometheusRule").getFirst().at("/spec/groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals("BpOutboxNotDraining")) {
          alert = rule;
        }
      }
    }
    assertThat(alert).as("alert BpOutboxNotDraining").isNotNull();
    assertThat(alert.path("expr").asText())
        .isEqualTo("max by (source) (bp_relay_oldest_unpublished_age_seconds) > 300");
    assertThat(alert.path("for").asText()).isEqualTo("10m");
    assertThat(alert.at("/labels/severity").asText()).isEqualTo("warning");
    assertThat(alert.at("/annotations/runbook_url").asText())
        .endsWith("/docs/operations/runbooks/BpOutboxNotDraining.md");
  }

  /** The router's RELAY_SOURCES and the workers granting its role, exactly {@code sources}. */
  private static void assertRelays(RenderedManifest manifest, String... sources) {
    Map<String, JsonNode> router = envVars(manifest.get("Deployment", ROUTER));
    Map<String, String> workers =
        Map.of(
            "activity", "bp-temporal-activity-worker", "orders", "bp-temporal-order-saga-worker");
    if (sources.length == 0) {
      assertThat(router.keySet()).noneMatch(name -> name.startsWith("RELAY_"));
    } else {
      assertThat(router.get("RELAY_SOURCES").path("value").asText())
          .isEqualTo(String.join(",", sources));
      assertThat(router).containsKey("RELAY_TOPIC");
    }
    for (Map.Entry<String, String> worker : workers.entrySet()) {
      String prefix = "RELAY_" + worker.getKey().toUpperCase(java.util.Locale.ROOT) + "_DB_";
      boolean relayed = List.of(sources).contains(worker.getKey());
      for (String suffix : List.of("URL", "USER", "PASSWORD")) {
        assertThat(router.containsKey(prefix + suffix)).as(prefix + suffix).isEqualTo(relayed);
      }
      manifest
          .find("Deployment", worker.getValue())
          .ifPresent(
              d ->
                  assertThat(envVars(d).containsKey("OUTBOX_RELAY_ROLES"))
                      .as(worker.getValue())
                      .isEqualTo(relayed));
    }
  }

  @Test
  void theNetworkPolicyOpensTheBrokersPortsToTheRouterAndOnlyMetricsIntoIt() {
    RenderedManifest manifest = RenderCases.render(SCENARIO);
    JsonNode broker = manifest.get("NetworkPolicy", "bp-temporal-allow-event-router-broker").body();
    assertThat(broker.at("/spec/podSelector/matchLabels/app.kubernetes.io~1component").asText())
        .isEqualTo("event-router");
    assertThat(broker.at("/spec/policyTypes")).hasSize(1);
    assertThat(broker.at("/spec/policyTypes/0").asText()).isEqualTo("Egress");
    assertThat(broker.at("/spec/egress")).hasSize(1);
    assertThat(broker.at("/spec/egress/0/ports/0/port").asInt()).isEqualTo(9093);
    assertThat(broker.at("/spec/egress/0/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(
            broker
                .at(
                    "/spec/egress/0/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                .asText())
        .isEqualTo("kafka");

    // The policies that select the router pod: default deny, DNS, the processes' (frontend,
    // PostgreSQL, Prometheus in) and the broker's.
    Map<String, String> podLabels =
        Map.of(
            "app.kubernetes.io/name", "bp-temporal",
            "app.kubernetes.io/instance", "bp-temporal",
            "app.kubernetes.io/component", "event-router");
    List<String> selecting = new ArrayList<>();
    Set<Integer> ingressPorts = new HashSet<>();
    Set<Integer> egressPorts = new HashSet<>();
    for (RenderedManifest.RenderedObject policy : manifest.ofKind("NetworkPolicy")) {
      if (!selects(policy.at("/spec/podSelector"), podLabels)) {
        continue;
      }
      selecting.add(policy.name());
      for (JsonNode rule : policy.at("/spec/ingress")) {
        assertThat(rule.path("ports").size()).as("ingress of " + policy.name()).isPositive();
        rule.path("ports").forEach(p -> ingressPorts.add(p.path("port").asInt()));
      }
      for (JsonNode rule : policy.at("/spec/egress")) {
        rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt()));
      }
    }
    assertThat(selecting)
        .containsExactlyInAnyOrder(
            "bp-temporal-default-deny",
            "bp-temporal-allow-dns",
            "bp-temporal-allow-processes",
            "bp-temporal-allow-event-router-broker");
    assertThat(ingressPorts).containsExactly(9464);
    assertThat(egressPorts).containsExactlyInAnyOrder(53, 7233, 5432, 9093);
    // The frontend and PostgreSQL let it in.
    for (String name : List.of("bp-temporal-allow-temporal", "bp-temporal-allow-postgres")) {
      assertThat(manifest.get("NetworkPolicy", name).body().toString())
          .as(name)
          .contains("event-router");
    }

    // Without brokerPeers: any address, on each distinct bootstrap port once.
    RenderedManifest plain = RenderCases.render(PLAIN.set("networkPolicy.enabled=true"));
    JsonNode open = plain.get("NetworkPolicy", "bp-temporal-allow-event-router-broker").body();
    assertThat(open.at("/spec/egress/0/to").isMissingNode()).isTrue();
    List<Integer> ports = new ArrayList<>();
    open.at("/spec/egress/0/ports").forEach(p -> ports.add(p.path("port").asInt()));
    assertThat(ports).containsExactly(9092, 19092);
    // No network policy asked for: none rendered for the router either.
    assertThat(RenderCases.render(PLAIN).ofKind("NetworkPolicy")).isEmpty();
  }

  /**
   * Pod Security "restricted", checked on the router's own pod (every scenario's containers are
   * also checked by {@link WorkloadSecurityTest}): non-root, no privilege escalation, ALL dropped,
   * RuntimeDefault seccomp, read-only root FS, only the volume types the profile allows, no host
   * namespaces or ports, no API token.
   */
  @Test
  void itsPodPassesPodSecurityRestricted() throws Exception {
    RenderedManifest.RenderedObject deployment =
        RenderCases.render(SCENARIO).get("Deployment", ROUTER);
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode podContext = pod.path("securityContext");
    assertThat(podContext.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(podContext.path("runAsUser").asInt()).isPositive();
    assertThat(podContext.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
      assertThat(pod.path(host).asBoolean(false)).as(host).isFalse();
    }
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.path("containers")).hasSize(1);
    assertThat(pod.path("initContainers").isMissingNode()).isTrue();
    JsonNode c = container(deployment);
    JsonNode ctx = c.path("securityContext");
    // Exactly the hardened context every process gets (processDefaults.containerSecurityContext).
    JsonNode defaults =
        new YAMLMapper()
            .readTree(RenderCases.chart().chartSource().resolve("values.yaml").toFile())
            .at("/processDefaults/containerSecurityContext");
    assertThat(ctx).isEqualTo(defaults);
    assertThat(ctx.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(ctx.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(ctx.at("/capabilities/drop/0").asText()).isEqualTo("ALL");
    assertThat(ctx.at("/capabilities/add").isMissingNode()).isTrue();
    c.path("ports").forEach(p -> assertThat(p.has("hostPort")).isFalse());
    Set<String> allowed =
        Set.of(
            "configMap",
            "csi",
            "downwardAPI",
            "emptyDir",
            "ephemeral",
            "persistentVolumeClaim",
            "projected",
            "secret");
    for (JsonNode volume : pod.path("volumes")) {
      List<String> types = new ArrayList<>();
      ((ObjectNode) volume).fieldNames().forEachRemaining(types::add);
      types.remove("name");
      assertThat(allowed).as(volume.toString()).containsAll(types);
    }
    assertThat(mount(deployment, "tmp").path("mountPath").asText()).isEqualTo("/tmp");
  }

  private static boolean selects(JsonNode selector, Map<String, String> labels) {
    var fields = selector.path("matchLabels").fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String value = labels.get(expr.path("key").asText());
      boolean in = false;
      for (JsonNode v : expr.path("values")) {
        in |= v.asText().equals(value);
      }
      String op = expr.path("operator").asText();
      if ((op.equals("In") && !in) || (op.equals("NotIn") && in)) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode volume(RenderedManifest.RenderedObject deployment, String name) {
    for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static JsonNode mount(RenderedManifest.RenderedObject deployment, String name) {
    for (JsonNode mount : container(deployment).path("volumeMounts")) {
      if (mount.path("name").asText().equals(name)) {
        return mount;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
