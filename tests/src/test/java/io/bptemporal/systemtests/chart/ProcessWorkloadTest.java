package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker and scheduler Deployments follow the environment contract in
 * docs/operations/configuration.md.
 */
class ProcessWorkloadTest {

  private static final RenderRequest MINIMAL =
      RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"));

  static JsonNode container(RenderedManifest.RenderedObject deployment) {
    return deployment.at("/spec/template/spec/containers/0");
  }

  static Map<String, JsonNode> envVars(RenderedManifest.RenderedObject deployment) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    container(deployment).path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  static String env(RenderedManifest.RenderedObject deployment, String name) {
    JsonNode var = envVars(deployment).get(name);
    assertThat(var).as(name + " in " + deployment.id()).isNotNull();
    return var.path("value").asText();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "order-saga-worker, orders, orders-tq, orders",
    "pipeline-worker, pipelines, pipelines-tq, pipeline",
    "activity-worker, pipelines, activities-tq, activity",
    "scheduler, pipelines, '', registry"
  })
  void eachProcessGetsItsNamespaceTaskQueueAndDatabase(
      String component, String namespace, String taskQueue, String database) {
    RenderedManifest.RenderedObject deployment =
        RenderCases.minimal().get("Deployment", "bp-temporal-" + component);
    assertThat(env(deployment, "TEMPORAL_ADDRESS"))
        .isEqualTo("bp-temporal-frontend.bp-temporal.svc:7233");
    assertThat(env(deployment, "TEMPORAL_NAMESPACE")).isEqualTo(namespace);
    if (taskQueue == null || taskQueue.isEmpty()) {
      assertThat(envVars(deployment)).doesNotContainKey("TEMPORAL_TASK_QUEUE");
    } else {
      assertThat(env(deployment, "TEMPORAL_TASK_QUEUE")).isEqualTo(taskQueue);
    }
    assertThat(env(deployment, "DB_URL"))
        .isEqualTo("jdbc:postgresql://bp-temporal-pg-rw:5432/" + database + "?sslmode=require");
    for (String[] secretVar :
        new String[][] {{"DB_USER", "username"}, {"DB_PASSWORD", "password"}}) {
      JsonNode ref = envVars(deployment).get(secretVar[0]).path("valueFrom").path("secretKeyRef");
      // Its own account (the Secret of its CNPG managed role), never the owner of Temporal's
      // databases.
      assertThat(ref.path("name").asText())
          .as(secretVar[0])
          .isEqualTo("bp-temporal-" + component + "-db");
      assertThat(ref.path("key").asText()).as(secretVar[0]).isEqualTo(secretVar[1]);
    }
    assertThat(env(deployment, "MANAGEMENT_PORT")).isEqualTo("9464");
    assertThat(env(deployment, "LOG_FORMAT")).isEqualTo("json");
    assertThat(env(deployment, "TEMPORAL_TLS_ENABLED")).isEqualTo("false");
  }

  @Test
  void theActivityWorkerReadsTheRegistryWithItsOwnRoleWhichTheSchedulerGrantsReadAccess() {
    RenderedManifest.RenderedObject activity =
        RenderCases.minimal().get("Deployment", "bp-temporal-activity-worker");
    assertThat(env(activity, "REGISTRY_DB_URL"))
        .isEqualTo("jdbc:postgresql://bp-temporal-pg-rw:5432/registry?sslmode=require");
    for (String var : List.of("REGISTRY_DB_USER", "REGISTRY_DB_PASSWORD")) {
      assertThat(
              envVars(activity)
                  .get(var)
                  .path("valueFrom")
                  .path("secretKeyRef")
                  .path("name")
                  .asText())
          .as(var)
          .isEqualTo("bp-temporal-activity-worker-db");
    }
    RenderedManifest.RenderedObject scheduler =
        RenderCases.minimal().get("Deployment", "bp-temporal-scheduler");
    assertThat(env(scheduler, "REGISTRY_READER_ROLES")).isEqualTo("activity_worker");
    // Nobody else reads the registry: the pipeline worker no longer runs registry activities.
    for (String other :
        List.of(
            "bp-temporal-order-saga-worker",
            "bp-temporal-pipeline-worker",
            "bp-temporal-scheduler")) {
      assertThat(envVars(RenderCases.minimal().get("Deployment", other)))
          .as(other)
          .doesNotContainKey("REGISTRY_DB_URL");
    }
    RenderedManifest extra =
        RenderCases.render(MINIMAL.set("scheduler.registryReaderRoles={reporting}"));
    assertThat(env(extra.get("Deployment", "bp-temporal-scheduler"), "REGISTRY_READER_ROLES"))
        .isEqualTo("activity_worker,reporting");
    RenderedManifest without = RenderCases.render(MINIMAL.set("workers.activity.enabled=false"));
    assertThat(envVars(without.get("Deployment", "bp-temporal-scheduler")))
        .doesNotContainKey("REGISTRY_READER_ROLES");
  }

  /**
   * OUTBOX_RELAY_ROLES: the activity and order-saga workers grant the event router's role on their
   * outbox only when the router runs its relay; the pipeline worker has no outbox.
   */
  @Test
  void theOutboxWorkersGrantTheRoutersRoleOnlyWhenItsRelayRuns() {
    for (RenderedManifest.RenderedObject deployment : RenderCases.minimal().processDeployments()) {
      assertThat(envVars(deployment)).as(deployment.id()).doesNotContainKey("OUTBOX_RELAY_ROLES");
    }
    RenderRequest router =
        MINIMAL.set("eventRouter.enabled=true", "broker.bootstrapServers={kafka:9092}");
    RenderedManifest relaying = RenderCases.render(router);
    Map<String, String> granted = new LinkedHashMap<>();
    for (RenderedManifest.RenderedObject deployment : relaying.processDeployments()) {
      JsonNode var = envVars(deployment).get("OUTBOX_RELAY_ROLES");
      if (var != null) {
        granted.put(deployment.name(), var.path("value").asText());
      }
    }
    assertThat(granted)
        .containsExactly(
            Map.entry("bp-temporal-order-saga-worker", "event_router"),
            Map.entry("bp-temporal-activity-worker", "event_router"));
    for (RenderedManifest.RenderedObject deployment :
        RenderCases.render(router.set("eventRouter.relay.enabled=false")).processDeployments()) {
      assertThat(envVars(deployment)).as(deployment.id()).doesNotContainKey("OUTBOX_RELAY_ROLES");
    }
  }

  /**
   * postgres.mode external: a process with database.existingSecret signs in with it (its keys); one
   * without falls back to the shared postgres.external.existingSecret, and the scheduler grants
   * only a role of its own account.
   */
  @Test
  void externalModeTakesEachProcesssAccountFromItsSecretOrTheSharedOne() {
    RenderRequest external = RenderCases.scenario("05-external-postgres-values.yaml");
    RenderedManifest shared = RenderCases.render(external);
    for (RenderedManifest.RenderedObject deployment : shared.processDeployments()) {
      assertThat(envVars(deployment).get("DB_USER").at("/valueFrom/secretKeyRef/name").asText())
          .as(deployment.id())
          .isEqualTo("bp-temporal-db");
    }
    assertThat(shared.objects())
        .noneMatch(o -> o.kind().equals("Secret") && o.name().endsWith("-db"));
    assertThat(envVars(shared.get("Deployment", "bp-temporal-scheduler")))
        .doesNotContainKey("REGISTRY_READER_ROLES");

    RenderedManifest own =
        RenderCases.render(
            external.set(
                "workers.activity.database.existingSecret=activity-account",
                "workers.activity.database.usernameKey=user",
                "workers.activity.database.role=activity_reader"));
    Map<String, JsonNode> activity = envVars(own.get("Deployment", "bp-temporal-activity-worker"));
    for (String var : List.of("DB_USER", "REGISTRY_DB_USER")) {
      assertThat(activity.get(var).at("/valueFrom/secretKeyRef/name").asText())
          .as(var)
          .isEqualTo("activity-account");
      assertThat(activity.get(var).at("/valueFrom/secretKeyRef/key").asText())
          .as(var)
          .isEqualTo("user");
    }
    assertThat(activity.get("DB_PASSWORD").at("/valueFrom/secretKeyRef/key").asText())
        .isEqualTo("password");
    assertThat(env(own.get("Deployment", "bp-temporal-scheduler"), "REGISTRY_READER_ROLES"))
        .isEqualTo("activity_reader");
    assertThat(
            envVars(own.get("Deployment", "bp-temporal-order-saga-worker"))
                .get("DB_USER")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("bp-temporal-db");
  }

  @Test
  void everyEnvironmentVariableIsPartOfTheDocumentedContract() throws IOException {
    String doc =
        Files.readString(
            RenderCases.chart().repoRoot().resolve("docs/operations/configuration.md"));
    Set<String> documented = new HashSet<>();
    Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(doc);
    while (m.find()) {
      documented.add(m.group(1));
    }
    // JAVA_TOOL_OPTIONS is read by the JVM itself; OTEL_* are the standard OpenTelemetry variables
    // the contract defers to.
    for (String scenario :
        new String[] {
          "01-minimal-values.yaml",
          "02-full-observability-values.yaml",
          "03-auth-values.yaml",
          "06-production-like-values.yaml",
          "07-event-router-values.yaml",
          "08-tls-values.yaml"
        }) {
      for (RenderedManifest.RenderedObject deployment :
          RenderCases.render(RenderCases.scenario(scenario)).umbrella().stream()
              .filter(o -> o.kind().equals("Deployment"))
              .toList()) {
        for (String name : envVars(deployment).keySet()) {
          assertThat(
                  documented.contains(name)
                      || name.equals("JAVA_TOOL_OPTIONS")
                      || name.startsWith("OTEL_"))
              .as(
                  name
                      + " set by "
                      + deployment.id()
                      + " but not documented in docs/operations/configuration.md")
              .isTrue();
        }
      }
    }
  }

  @Test
  void theManagementPortIsOneValueForProcessServiceAndNetworkPolicy() {
    RenderedManifest manifest =
        RenderCases.render(
            RenderCases.scenario("04-network-policy-values.yaml")
                .set("processDefaults.managementPort=9500"));
    for (RenderedManifest.RenderedObject deployment : manifest.processDeployments()) {
      assertThat(env(deployment, "MANAGEMENT_PORT")).as(deployment.id()).isEqualTo("9500");
      assertThat(container(deployment).at("/ports/0/containerPort").asInt())
          .as(deployment.id())
          .isEqualTo(9500);
    }
    List<RenderedManifest.RenderedObject> services =
        manifest.umbrella().stream()
            .filter(
                o ->
                    o.kind().equals("Service")
                        && o.at("/spec/ports/0/name").asText().equals("metrics"))
            .toList();
    assertThat(services)
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.at("/spec/ports/0/port").asInt()).isEqualTo(9500));
    String policies =
        manifest.umbrella().stream()
            .filter(o -> o.kind().equals("NetworkPolicy"))
            .map(o -> o.body().toString())
            .reduce("", String::concat);
    assertThat(policies).contains("9500").doesNotContain("9464");
  }

  @Test
  void probesHitHealthAndReadinessOnTheManagementPort() {
    for (RenderedManifest.RenderedObject deployment : RenderCases.minimal().processDeployments()) {
      JsonNode c = container(deployment);
      assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(9464);
      assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
      assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
      assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
      assertThat(c.at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
    }
  }

  @Test
  void terminationGraceIsTheShutdownGracePlusTen() {
    RenderedManifest manifest =
        RenderCases.render(MINIMAL.set("workers.pipeline.shutdownGraceSeconds=120"));
    RenderedManifest.RenderedObject pipeline =
        manifest.get("Deployment", "bp-temporal-pipeline-worker");
    assertThat(env(pipeline, "SHUTDOWN_GRACE_SECONDS")).isEqualTo("120");
    assertThat(pipeline.at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .isEqualTo(130);
    RenderedManifest.RenderedObject saga =
        manifest.get("Deployment", "bp-temporal-order-saga-worker");
    assertThat(env(saga, "SHUTDOWN_GRACE_SECONDS")).isEqualTo("30");
    assertThat(saga.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(40);
  }

  @Test
  void imagesComeFromRegistryRepositoryTagAndOptionalDigest() {
    RenderedManifest manifest =
        RenderCases.render(
            MINIMAL.set(
                "workers.orderSaga.image.digest=sha256:" + "a".repeat(64),
                "scheduler.image.registry=mirror.example.com",
                "scheduler.image.tag=0.2.0-fff0000"));
    assertThat(
            container(manifest.get("Deployment", "bp-temporal-order-saga-worker"))
                .path("image")
                .asText())
        .isEqualTo("ghcr.io/bp-temporal/order-saga-worker:3f9c2a1b7d4e@sha256:" + "a".repeat(64));
    assertThat(
            container(manifest.get("Deployment", "bp-temporal-pipeline-worker"))
                .path("image")
                .asText())
        .isEqualTo("ghcr.io/bp-temporal/pipeline-worker:3f9c2a1b7d4e");
    assertThat(
            container(manifest.get("Deployment", "bp-temporal-scheduler")).path("image").asText())
        .isEqualTo("mirror.example.com/bp-temporal/scheduler:0.2.0-fff0000");
  }

  @Test
  void autoscaledDeploymentsLeaveReplicasToTheHpa() {
    RenderedManifest manifest =
        RenderCases.render(MINIMAL.set("workers.orderSaga.autoscaling.enabled=true"));
    assertThat(
            manifest
                .get("Deployment", "bp-temporal-order-saga-worker")
                .at("/spec/replicas")
                .isMissingNode())
        .isTrue();
    JsonNode hpa = manifest.get("HorizontalPodAutoscaler", "bp-temporal-order-saga-worker").body();
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText())
        .isEqualTo("bp-temporal-order-saga-worker");
    assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
    assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(10);
    assertThat(
            manifest.get("Deployment", "bp-temporal-pipeline-worker").at("/spec/replicas").asInt())
        .isEqualTo(2);
  }

  @Test
  void theSchedulerRunsTwoReplicasWithoutAnHpaBehindItsAdvisoryLock() {
    RenderedManifest manifest = RenderCases.minimal();
    assertThat(manifest.get("Deployment", "bp-temporal-scheduler").at("/spec/replicas").asInt())
        .isEqualTo(2);
    assertThat(manifest.find("HorizontalPodAutoscaler", "bp-temporal-scheduler")).isEmpty();
    assertThat(
            manifest
                .get("PodDisruptionBudget", "bp-temporal-scheduler")
                .at("/spec/maxUnavailable")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void rolloutsNeverDropCapacityAndEachProcessHasItsOwnAccount() {
    List<RenderedManifest.RenderedObject> processes = RenderCases.minimal().processDeployments();
    assertThat(processes).hasSize(4);
    for (RenderedManifest.RenderedObject deployment : processes) {
      assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
          .as(deployment.id())
          .isZero();
      assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText())
          .isEqualTo(deployment.name());
    }
  }

  /**
   * No pod of the release (upstream's included) gets a Kubernetes API token: none of them calls the
   * API.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void noPodMountsAnApiToken(String label, RenderRequest request) {
    RenderedManifest manifest = RenderCases.render(request);
    List<String> problems = new java.util.ArrayList<>();
    for (RenderedManifest.RenderedObject workload : manifest.objects()) {
      JsonNode pod =
          switch (workload.kind()) {
            case "Deployment", "Job" -> workload.at("/spec/template/spec");
            case "Pod" -> workload.at("/spec");
            default -> null;
          };
      if (pod == null) {
        continue;
      }
      String account = pod.path("serviceAccountName").asText("default");
      boolean accountMounts =
          manifest
              .find("ServiceAccount", account)
              .map(sa -> sa.at("/automountServiceAccountToken").asBoolean(true))
              .orElse(true);
      if (pod.path("automountServiceAccountToken").asBoolean(accountMounts)) {
        problems.add(workload.id() + " mounts the API token of ServiceAccount " + account);
      }
    }
    assertThat(problems).as(label).isEmpty();
  }

  @Test
  void externalPostgresUsesItsHostSslModeAndSecret() {
    RenderedManifest manifest =
        RenderCases.render(RenderCases.scenario("05-external-postgres-values.yaml"));
    RenderedManifest.RenderedObject saga =
        manifest.get("Deployment", "bp-temporal-order-saga-worker");
    assertThat(env(saga, "DB_URL"))
        .isEqualTo(
            "jdbc:postgresql://pg.databases.example.internal:5432/orders?sslmode=verify-full"
                + "&sslrootcert=/etc/bp-temporal/postgres-ca/ca.crt");
    assertThat(envVars(saga).get("DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("bp-temporal-db");
    // verify-full needs the CA: a real install with an unmounted CA fails every connection (pgjdbc
    // looks for
    // ~/.postgresql/root.crt), so the scenario's caSecret is mounted read-only into every process.
    for (RenderedManifest.RenderedObject deployment :
        manifest.umbrella().stream().filter(o -> o.kind().equals("Deployment")).toList()) {
      JsonNode volume = volumeNamed(deployment, "postgres-ca");
      assertThat(volume.at("/secret/secretName").asText())
          .as(deployment.id())
          .isEqualTo("bp-temporal-db-ca");
      assertThat(container(deployment).findValues("mountPath").stream().map(JsonNode::asText))
          .as(deployment.id())
          .contains("/etc/bp-temporal/postgres-ca");
      assertThat(
              envVars(deployment).values().stream()
                  .map(v -> v.path("value").asText())
                  .filter(v -> v.startsWith("jdbc:")))
          .as(deployment.id())
          .isNotEmpty()
          .allSatisfy(
              url -> assertThat(url).endsWith("&sslrootcert=/etc/bp-temporal/postgres-ca/ca.crt"));
    }
    // require (the default) encrypts without verifying, so nothing is mounted.
    RenderedManifest require =
        RenderCases.render(
            RenderCases.scenario("05-external-postgres-values.yaml")
                .set("postgres.external.sslMode=require", "postgres.external.caSecret="));
    RenderedManifest.RenderedObject plain =
        require.get("Deployment", "bp-temporal-order-saga-worker");
    assertThat(env(plain, "DB_URL"))
        .isEqualTo("jdbc:postgresql://pg.databases.example.internal:5432/orders?sslmode=require");
    assertThat(volumeNamed(plain, "postgres-ca").isMissingNode()).isTrue();
  }

  /** "secret/key" of the token file mounted at /etc/bp-temporal/temporal-auth, read-only. */
  private static String tokenSecret(RenderedManifest.RenderedObject deployment) {
    JsonNode mount =
        deployment
            .at("/spec/template/spec/containers/0/volumeMounts")
            .findParents("mountPath")
            .stream()
            .filter(m -> m.path("mountPath").asText().equals("/etc/bp-temporal/temporal-auth"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(deployment.id() + " mounts no token"));
    assertThat(mount.path("readOnly").asBoolean()).as(deployment.id()).isTrue();
    JsonNode secret = volumeNamed(deployment, mount.path("name").asText()).path("secret");
    assertThat(secret.at("/items/0/path").asText()).as(deployment.id()).isEqualTo("token");
    return secret.path("secretName").asText() + "/" + secret.at("/items/0/key").asText();
  }

  private static JsonNode volumeNamed(RenderedManifest.RenderedObject deployment, String name) {
    for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  @Test
  void authAndTlsReachTheProcessesBySecretReferenceOnly() {
    RenderedManifest auth = RenderCases.render(RenderCases.scenario("03-auth-values.yaml"));
    List<RenderedManifest.RenderedObject> processes =
        auth.umbrella().stream()
            .filter(o -> o.kind().equals("Deployment"))
            .filter(o -> envVars(o).containsKey("TEMPORAL_ADDRESS"))
            .toList();
    assertThat(processes).hasSize(4);
    for (RenderedManifest.RenderedObject deployment : processes) {
      // A file the process reads again when the kubelet updates the Secret: a refreshed JWT
      // reaches it without a restart, which an environment variable could not.
      assertThat(env(deployment, "TEMPORAL_AUTH_TOKEN_FILE"))
          .as(deployment.id())
          .isEqualTo("/etc/bp-temporal/temporal-auth/token");
      assertThat(envVars(deployment)).as(deployment.id()).doesNotContainKey("TEMPORAL_API_KEY");
      assertThat(tokenSecret(deployment))
          .as(deployment.id())
          .isEqualTo("bp-temporal-worker-token/api-key");
    }
    // Each process may have a credential of its own; the others keep the shared one.
    RenderedManifest own =
        RenderCases.render(
            RenderCases.scenario("03-auth-values.yaml")
                .set(
                    "auth.workerCredentials.perProcess.order-saga-worker.existingSecret=saga-token",
                    "auth.workerCredentials.perProcess.scheduler.existingSecret=scheduler-token",
                    "auth.workerCredentials.perProcess.scheduler.key=jwt"));
    assertThat(tokenSecret(own.get("Deployment", "bp-temporal-order-saga-worker")))
        .isEqualTo("saga-token/api-key");
    assertThat(tokenSecret(own.get("Deployment", "bp-temporal-scheduler")))
        .isEqualTo("scheduler-token/jwt");
    assertThat(tokenSecret(own.get("Deployment", "bp-temporal-pipeline-worker")))
        .isEqualTo("bp-temporal-worker-token/api-key");
    // No shared Secret and a process without its own: refused, naming the process and both keys.
    HelmBinary.Run refused =
        RenderCases.chart()
            .template(
                RenderCases.scenario("03-auth-values.yaml")
                    .set(
                        "auth.workerCredentials.existingSecret=",
                        "auth.workerCredentials.perProcess.order-saga-worker.existingSecret=saga-token"));
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.stderr())
        .contains("process pipeline-worker has no Temporal credential")
        .contains("auth.workerCredentials.existingSecret is empty")
        .contains("auth.workerCredentials.perProcess has no entry \"pipeline-worker\"");
    RenderedManifest tls =
        RenderCases.render(
            MINIMAL.set(
                "temporalClient.tls.enabled=true",
                "temporalClient.tls.existingSecret=temporal-client-tls",
                "temporalClient.tls.mutual=true",
                "temporalClient.tls.serverName=frontend.temporal"));
    RenderedManifest.RenderedObject saga = tls.get("Deployment", "bp-temporal-order-saga-worker");
    assertThat(env(saga, "TEMPORAL_TLS_ENABLED")).isEqualTo("true");
    assertThat(env(saga, "TEMPORAL_TLS_CA_FILE")).isEqualTo("/etc/bp-temporal/temporal-tls/ca.crt");
    assertThat(env(saga, "TEMPORAL_TLS_CERT_FILE"))
        .isEqualTo("/etc/bp-temporal/temporal-tls/tls.crt");
    assertThat(env(saga, "TEMPORAL_TLS_SERVER_NAME")).isEqualTo("frontend.temporal");
    assertThat(saga.at("/spec/template/spec/volumes/1/secret/secretName").asText())
        .isEqualTo("temporal-client-tls");
    assertThat(container(saga).at("/volumeMounts/1/readOnly").asBoolean()).isTrue();
  }

  @Test
  void anExternalTemporalIsUsedWhenTheReleaseHasNone() {
    RenderedManifest manifest =
        RenderCases.render(
            MINIMAL.set(
                "temporal.enabled=false", "temporalClient.address=temporal.example.com:7233"));
    assertThat(env(manifest.get("Deployment", "bp-temporal-scheduler"), "TEMPORAL_ADDRESS"))
        .isEqualTo("temporal.example.com:7233");
    assertThat(manifest.find("ConfigMap", "bp-temporal-web-auth")).isEmpty();
  }
}
