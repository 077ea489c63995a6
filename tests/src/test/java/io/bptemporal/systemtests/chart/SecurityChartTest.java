package io.bptemporal.systemtests.chart;

import static io.bptemporal.systemtests.chart.ProcessWorkloadTest.container;
import static io.bptemporal.systemtests.chart.ProcessWorkloadTest.env;
import static io.bptemporal.systemtests.chart.ProcessWorkloadTest.envVars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's security controls (docs/security.md): mutual TLS inside Temporal with cert-manager
 * certificates (scenario 08-tls), payload encryption with the codec server and images pinned by
 * digest (scenario 06-production-like).
 */
class SecurityChartTest {

  private static final RenderRequest TLS = RenderCases.scenario("08-tls-values.yaml");
  private static final RenderRequest PRODUCTION =
      RenderCases.scenario("06-production-like-values.yaml");
  private static final RenderRequest MINIMAL =
      RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"));
  private static final String TOOLS_MOUNT = "/etc/bp-temporal/temporal-tls";
  private static final String FRONTEND_HOST = "bp-temporal-frontend.bp-temporal.svc";

  // ---- TLS

  private static Map<String, CustomResources.CertificateSpec> certificates(RenderedManifest m) {
    Map<String, CustomResources.CertificateSpec> bySecret = new HashMap<>();
    for (RenderedManifest.RenderedObject o : m.ofKind("Certificate")) {
      CustomResources.CertificateSpec spec =
          KubernetesTypeCheck.bind(o, CustomResources.Certificate.class).spec();
      bySecret.put(spec.secretName(), spec);
    }
    return bySecret;
  }

  @Test
  void everyCertificateComesFromTheConfiguredIssuerWithRotationSettings() {
    Map<String, CustomResources.CertificateSpec> certs = certificates(RenderCases.render(TLS));
    assertThat(certs.keySet())
        .containsExactlyInAnyOrder(
            "bp-temporal-internode-tls",
            "bp-temporal-frontend-tls",
            "bp-temporal-tools-tls",
            "bp-temporal-order-saga-worker-tls",
            "bp-temporal-pipeline-worker-tls",
            "bp-temporal-activity-worker-tls",
            "bp-temporal-scheduler-tls");
    certs.forEach(
        (secret, spec) -> {
          assertThat(spec.issuerRef())
              .as(secret)
              .isEqualTo(
                  new CustomResources.IssuerReference(
                      "platform-ca", "ClusterIssuer", "cert-manager.io"));
          assertThat(spec.duration()).as(secret).isEqualTo("2160h");
          assertThat(spec.renewBefore()).as(secret).isEqualTo("720h");
          assertThat(spec.privateKey().rotationPolicy()).as(secret).isEqualTo("Always");
          // The Java processes read PKCS#8 only; the e2e's TLS scenario loads these keys.
          assertThat(spec.privateKey().encoding()).as(secret).isEqualTo("PKCS8");
        });
    assertThat(certs.get("bp-temporal-internode-tls").usages())
        .contains("server auth", "client auth");
    assertThat(certs.get("bp-temporal-internode-tls").dnsNames())
        .contains("bp-temporal-internode", "bp-temporal-internal-frontend.bp-temporal.svc");
    assertThat(certs.get("bp-temporal-frontend-tls").usages()).contains("server auth");
    // The address every process dials, and the name the server's system workers verify.
    assertThat(certs.get("bp-temporal-frontend-tls").dnsNames())
        .contains(FRONTEND_HOST, "bp-temporal-frontend");
    assertThat(certs.get("bp-temporal-order-saga-worker-tls").commonName())
        .isEqualTo("order-saga-worker");
    assertThat(certs.get("bp-temporal-order-saga-worker-tls").usages())
        .contains("client auth")
        .doesNotContain("server auth");
  }

  @Test
  void withoutAnIssuerTheReleaseRendersItsOwnCa() {
    RenderedManifest m = RenderCases.render(TLS.set("tls.issuerRef.name="));
    List<CustomResources.IssuerSpec> issuers =
        m.ofKind("Issuer").stream()
            .map(o -> KubernetesTypeCheck.bind(o, CustomResources.Issuer.class).spec())
            .toList();
    assertThat(issuers).hasSize(2);
    assertThat(issuers).anySatisfy(i -> assertThat(i.selfSigned()).isNotNull());
    assertThat(issuers)
        .anySatisfy(
            i ->
                assertThat(i.ca())
                    .isNotNull()
                    .extracting("secretName")
                    .isEqualTo("bp-temporal-ca"));
    Map<String, CustomResources.CertificateSpec> certs = certificates(m);
    assertThat(certs.get("bp-temporal-ca").isCA()).isTrue();
    // Renewing the CA keeps its key, so the certificates it signed stay valid.
    assertThat(certs.get("bp-temporal-ca").privateKey().rotationPolicy()).isEqualTo("Never");
    assertThat(certs.get("bp-temporal-ca").issuerRef().name()).isEqualTo("bp-temporal-selfsigned");
    assertThat(certs.get("bp-temporal-frontend-tls").issuerRef())
        .isEqualTo(
            new CustomResources.IssuerReference("bp-temporal-ca", "Issuer", "cert-manager.io"));
  }

  @Test
  void noCertificateOrIssuerWithoutTls() {
    RenderedManifest m = RenderCases.minimal();
    assertThat(m.ofKind("Certificate")).isEmpty();
    assertThat(m.ofKind("Issuer")).isEmpty();
    assertThat(m.find("ConfigMap", "bp-temporal-tools-env")).isEmpty();
    for (RenderedManifest.RenderedObject d : m.processDeployments()) {
      assertThat(env(d, "TEMPORAL_TLS_ENABLED")).as(d.id()).isEqualTo("false");
    }
  }

  @Test
  void everyProcessPresentsItsOwnClientCertificate() {
    RenderedManifest m = RenderCases.render(TLS);
    Map<String, CustomResources.CertificateSpec> certs = certificates(m);
    assertThat(m.processDeployments()).hasSize(4);
    for (RenderedManifest.RenderedObject d : m.processDeployments()) {
      assertThat(env(d, "TEMPORAL_TLS_ENABLED")).as(d.id()).isEqualTo("true");
      assertThat(env(d, "TEMPORAL_ADDRESS")).startsWith(FRONTEND_HOST + ":");
      assertThat(env(d, "TEMPORAL_TLS_CA_FILE")).isEqualTo(TOOLS_MOUNT + "/ca.crt");
      assertThat(env(d, "TEMPORAL_TLS_CERT_FILE")).isEqualTo(TOOLS_MOUNT + "/tls.crt");
      assertThat(env(d, "TEMPORAL_TLS_KEY_FILE")).isEqualTo(TOOLS_MOUNT + "/tls.key");
      String secret = mountedSecretAt(d.at("/spec/template/spec"), TOOLS_MOUNT);
      assertThat(secret).as(d.id()).isEqualTo(d.name() + "-tls");
      assertThat(certs.get(secret).usages()).as(secret).contains("client auth");
    }
  }

  /**
   * Every pod of the release that dials the frontend — processes, Web UI, admin tools, the
   * namespace Job and the helm test pods — mounts a client certificate the release issues, and the
   * tools get their TLS settings from the ConfigMaps the chart renders.
   */
  @Test
  void everyClientOfTheFrontendMountsAClientCertificateOfTheRelease() {
    assumeUpstream();
    RenderedManifest m = RenderCases.render(TLS);
    Set<String> clientSecrets = new HashSet<>();
    certificates(m)
        .forEach(
            (secret, spec) -> {
              if (spec.usages().contains("client auth")) {
                clientSecrets.add(secret);
              }
            });
    List<RenderedManifest.RenderedObject> clients = new ArrayList<>(m.processDeployments());
    clients.add(m.get("Deployment", "bp-temporal-web"));
    clients.add(m.get("Deployment", "bp-temporal-admintools"));
    m.ofKind("Job").stream().filter(j -> j.name().contains("-namespace-")).forEach(clients::add);
    m.umbrella().stream()
        .filter(o -> o.kind().equals("Pod") && HelmTestCommand.isTestHook(o))
        .forEach(clients::add);
    assertThat(clients).hasSizeGreaterThanOrEqualTo(4 + 2 + 1 + 4);
    for (RenderedManifest.RenderedObject client : clients) {
      JsonNode pod =
          client.kind().equals("Pod") ? client.at("/spec") : client.at("/spec/template/spec");
      assertThat(mountedSecretAt(pod, TOOLS_MOUNT)).as(client.id()).isIn(clientSecrets);
    }
    Map<String, String> web = configMapData(m, "bp-temporal-web-auth");
    assertThat(web)
        .containsEntry("TEMPORAL_TLS_CA", TOOLS_MOUNT + "/ca.crt")
        .containsEntry("TEMPORAL_TLS_CERT", TOOLS_MOUNT + "/tls.crt")
        .containsEntry("TEMPORAL_TLS_KEY", TOOLS_MOUNT + "/tls.key")
        .containsEntry("TEMPORAL_TLS_ENABLE_HOST_VERIFICATION", "true");
    assertThat(configMapData(m, "bp-temporal-tools-env"))
        .containsEntry("TEMPORAL_TLS_CA", TOOLS_MOUNT + "/ca.crt")
        .containsEntry("TEMPORAL_TLS_CERT", TOOLS_MOUNT + "/tls.crt")
        .containsEntry("TEMPORAL_TLS_KEY", TOOLS_MOUNT + "/tls.key");
    assertThat(envFromConfigMaps(m.get("Deployment", "bp-temporal-web")))
        .contains("bp-temporal-web-auth");
    assertThat(envFromConfigMaps(m.get("Deployment", "bp-temporal-admintools")))
        .contains("bp-temporal-tools-env");
    for (RenderedManifest.RenderedObject test :
        m.umbrella().stream().filter(HelmTestCommand::isTestHook).toList()) {
      assertThat(test.at("/spec/containers/0/command/2").asText())
          .as(test.id())
          .contains(
              "--tls --tls-ca-path " + TOOLS_MOUNT + "/ca.crt",
              "--tls-cert-path " + TOOLS_MOUNT + "/tls.crt",
              "--tls-key-path " + TOOLS_MOUNT + "/tls.key");
    }
  }

  @Test
  void theServerRequiresClientCertificatesOnBothPortsAndMountsItsOwn() {
    assumeUpstream();
    RenderedManifest m = RenderCases.render(TLS);
    String config =
        m.get("ConfigMap", "bp-temporal-config").at("/data/config_template.yaml").asText();
    // global.tls of the server's config template, up to the next top-level section.
    int start = config.indexOf("\n  tls:\n");
    assertThat(start).as("global.tls in the server config:\n" + config).isPositive();
    String tls = config.substring(start, config.indexOf("\nservices:", start));
    assertThat(tls.split("requireClientAuth: true", -1)).as(tls).hasSize(3);
    assertThat(tls).contains("serverName: bp-temporal-internode", "systemWorker:");
    for (String service : List.of("frontend", "history", "matching", "worker")) {
      JsonNode pod = m.get("Deployment", "bp-temporal-" + service).at("/spec/template/spec");
      assertThat(mountedSecretAt(pod, "/etc/temporal/tls/internode"))
          .as(service)
          .isEqualTo("bp-temporal-internode-tls");
      assertThat(mountedSecretAt(pod, "/etc/temporal/tls/frontend"))
          .as(service)
          .isEqualTo("bp-temporal-frontend-tls");
    }
  }

  /** A TLS scenario changed in one place fails with a message naming the key. */
  static Stream<ValuesRejectionTest.BadValues> badTls() {
    return Stream.of(
        new ValuesRejectionTest.BadValues(
            "frontend without client auth",
            "temporal: {server: {config: {tls: {frontend: {server: {requireClientAuth: false}}}}}}",
            List.of("temporal.server.config.tls.frontend.server.requireClientAuth is not true")),
        new ValuesRejectionTest.BadValues(
            "internode server name",
            "temporal: {server: {config: {tls: {internode: {client: {serverName: other}}}}}}",
            List.of(
                "temporal.server.config.tls.internode.client.serverName must be \"bp-temporal-internode\"")),
        new ValuesRejectionTest.BadValues(
            "system worker server name",
            "temporal: {server: {config: {tls: {systemWorker: {client: {serverName: x}}}}}}",
            List.of(
                "systemWorker.client.serverName is \"x\" but must be \"bp-temporal-frontend\"")),
        new ValuesRejectionTest.BadValues(
            "certificate file outside the mounts",
            "temporal: {server: {config: {tls: {frontend: {server: {certFile: /certs/tls.crt}}}}}}",
            List.of("temporal.server.config.tls names /certs/tls.crt", "bp-temporal-frontend-tls")),
        new ValuesRejectionTest.BadValues(
            "server without the frontend Secret",
            "temporal: {server: {additionalVolumes: [{name: tmp, emptyDir: {}}]}}",
            List.of("do not mount Secret bp-temporal-internode-tls")),
        new ValuesRejectionTest.BadValues(
            "Web UI without the tools certificate",
            "temporal: {web: {additionalVolumeMounts: [{name: tmp, mountPath: /tmp}]}}",
            List.of("temporal.web does not mount Secret bp-temporal-tools-tls at " + TOOLS_MOUNT)),
        new ValuesRejectionTest.BadValues(
            "admin tools without their env",
            "temporal: {admintools: {additionalEnvConfigMapName: ''}}",
            List.of("temporal.admintools.additionalEnvConfigMapName is not bp-temporal-tools-env")),
        new ValuesRejectionTest.BadValues(
            "two sources of client TLS",
            "temporalClient: {tls: {enabled: true, existingSecret: s}}",
            List.of("tls.enabled and temporalClient.tls.enabled are both true")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTls")
  void aTlsScenarioThatDisagreesWithTheChartIsRefused(ValuesRejectionTest.BadValues bad) {
    RenderRequest request =
        RenderRequest.of(
            RenderCases.scenarioFile("08-tls-values.yaml"),
            RenderCases.chart().valuesFile("bad-tls-" + bad.name(), bad.yaml()));
    HelmBinary.Run run = RenderCases.chart().template(request);
    assertThat(run.succeeded()).as("helm template should refuse: " + bad.yaml()).isFalse();
    assertThat(run.stderr()).contains(bad.expected());
  }

  // ---- payload encryption and the codec server

  @Test
  void everyProcessReadsThePayloadKeysReadOnlyFromTheSecret() {
    RenderedManifest m = RenderCases.render(PRODUCTION);
    assertThat(m.processDeployments()).hasSize(4);
    for (RenderedManifest.RenderedObject d : m.processDeployments()) {
      assertThat(env(d, "PAYLOAD_KEYS_DIR")).as(d.id()).isEqualTo("/etc/bp-temporal/payload-keys");
      assertThat(env(d, "PAYLOAD_KEY_ID")).as(d.id()).isEqualTo("2026-07");
      assertThat(mountedSecretAt(d.at("/spec/template/spec"), "/etc/bp-temporal/payload-keys"))
          .as(d.id())
          .isEqualTo("bp-payload-keys");
    }
    RenderedManifest router =
        RenderCases.render(
            RenderCases.scenario("07-event-router-values.yaml")
                .set(
                    "payloadEncryption.enabled=true",
                    "payloadEncryption.existingSecret=keys",
                    "payloadEncryption.writeKeyId=k1",
                    "payloadEncryption.codecServer.enabled=false"));
    RenderedManifest.RenderedObject eventRouter =
        router.get("Deployment", "bp-temporal-event-router");
    assertThat(env(eventRouter, "PAYLOAD_KEY_ID")).isEqualTo("k1");
    assertThat(router.codecServerDeployment()).isEmpty();
  }

  @Test
  void payloadEncryptionIsOffByDefault() {
    RenderedManifest m = RenderCases.minimal();
    assertThat(m.codecServerDeployment()).isEmpty();
    for (RenderedManifest.RenderedObject d : m.processDeployments()) {
      assertThat(envVars(d)).as(d.id()).doesNotContainKeys("PAYLOAD_KEYS_DIR", "PAYLOAD_KEY_ID");
    }
  }

  @Test
  void theCodecServerRunsTheSchedulerImageHardenedWithItsTokenByReference() {
    RenderedManifest m = RenderCases.render(PRODUCTION);
    RenderedManifest.RenderedObject codec = m.codecServerDeployment().orElseThrow();
    JsonNode c = container(codec);
    assertThat(c.path("image").asText())
        .isEqualTo(container(m.get("Deployment", "bp-temporal-scheduler")).path("image").asText())
        .contains("/bp-temporal/scheduler:", "@sha256:");
    assertThat(c.at("/args/0").asText()).isEqualTo("codec-server");
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(c.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(env(codec, "PAYLOAD_KEY_ID")).isEqualTo("2026-07");
    assertThat(env(codec, "CODEC_SERVER_ALLOWED_ORIGIN")).isEqualTo("https://temporal.example.com");
    assertThat(env(codec, "CODEC_SERVER_TOKEN_FILE"))
        .isEqualTo("/etc/bp-temporal/codec-token/token");
    assertThat(envVars(codec).values()).allSatisfy(v -> assertThat(v.has("valueFrom")).isFalse());
    JsonNode pod = codec.at("/spec/template/spec");
    assertThat(mountedSecretAt(pod, "/etc/bp-temporal/codec-token"))
        .isEqualTo("bp-codec-server-token");
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.path("name").asText().equals("codec-token")) {
        assertThat(volume.at("/secret/items").size()).as("only the token is mounted").isEqualTo(1);
        assertThat(volume.at("/secret/items/0/key").asText()).isEqualTo("token");
      }
    }
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode service = m.get("Service", "bp-temporal-codec-server").at("/spec/ports");
    assertThat(service.findValuesAsText("name")).containsExactly("http", "metrics");
    assertThat(service.get(0).path("port").asInt()).isEqualTo(8089);
    assertThat(configMapData(m, "bp-temporal-web-auth"))
        .containsEntry("TEMPORAL_CODEC_ENDPOINT", "https://codec.example.com")
        .containsEntry("TEMPORAL_CODEC_PASS_ACCESS_TOKEN", "false");
  }

  @Test
  void theCodecServerAllowsTheWebUisOriginFromTheOidcCallbackWhenNotGiven() {
    RenderedManifest m =
        RenderCases.render(
            RenderCases.scenario("03-auth-values.yaml")
                .set(
                    "payloadEncryption.enabled=true",
                    "payloadEncryption.existingSecret=keys",
                    "payloadEncryption.writeKeyId=k1",
                    "payloadEncryption.codecServer.token.existingSecret=codec-token"));
    assertThat(env(m.codecServerDeployment().orElseThrow(), "CODEC_SERVER_ALLOWED_ORIGIN"))
        .isEqualTo("https://temporal.example.com");
    // No public URL: the Web UI is not pointed at a codec server it cannot reach.
    assertThat(configMapData(m, "bp-temporal-web-auth"))
        .doesNotContainKey("TEMPORAL_CODEC_ENDPOINT");
  }

  @Test
  void withAuthTheCodecServerVerifiesTheUsersTokensWithTheFrontendsKeysAndNeedsNoStaticToken() {
    RenderedManifest m =
        RenderCases.render(
            RenderCases.scenario("03-auth-values.yaml")
                .set(
                    "payloadEncryption.enabled=true",
                    "payloadEncryption.existingSecret=keys",
                    "payloadEncryption.writeKeyId=k1",
                    "payloadEncryption.codecServer.publicUrl=https://codec.example.com",
                    "payloadEncryption.codecServer.passAccessToken=true",
                    "payloadEncryption.codecServer.oidc.enabled=true",
                    "payloadEncryption.codecServer.oidc.requiredGroup=/codec-readers"));
    RenderedManifest.RenderedObject codec = m.codecServerDeployment().orElseThrow();

    assertThat(env(codec, "CODEC_SERVER_OIDC_ISSUER"))
        .isEqualTo("https://keycloak.example.com/realms/temporal");
    // The key source the frontend verifies the same tokens with.
    assertThat(env(codec, "CODEC_SERVER_OIDC_JWKS_URL"))
        .isEqualTo("https://keycloak.example.com/realms/temporal/protocol/openid-connect/certs");
    assertThat(env(codec, "CODEC_SERVER_OIDC_REQUIRED_GROUP")).isEqualTo("/codec-readers");
    assertThat(envVars(codec))
        .doesNotContainKeys("CODEC_SERVER_TOKEN_FILE", "CODEC_SERVER_OIDC_AUDIENCE");
    JsonNode pod = codec.at("/spec/template/spec");
    assertThat(mountedSecretAt(pod, "/etc/bp-temporal/codec-token")).isEmpty();
    assertThat(pod.path("volumes").findValuesAsText("name")).doesNotContain("codec-token");
    assertThat(configMapData(m, "bp-temporal-web-auth"))
        .containsEntry("TEMPORAL_CODEC_ENDPOINT", "https://codec.example.com")
        .containsEntry("TEMPORAL_CODEC_PASS_ACCESS_TOKEN", "true");
  }

  @Test
  void theCodecServersOidcSettingsCanBeGivenExplicitlyBesideTheStaticToken() {
    RenderedManifest m =
        RenderCases.render(
            PRODUCTION.set(
                "payloadEncryption.codecServer.oidc.enabled=true",
                "payloadEncryption.codecServer.oidc.issuerUrl=https://idp.example.com/realms/ops",
                "payloadEncryption.codecServer.oidc.jwksUrl=https://idp.example.com/realms/ops/keys",
                "payloadEncryption.codecServer.oidc.audience=temporal-codec",
                "payloadEncryption.codecServer.oidc.requiredGroup=/codec-readers",
                "networkPolicy.codecServerEgress[0].to[0].namespaceSelector.matchLabels.team=idp",
                "networkPolicy.codecServerEgress[0].ports[0].port=8443"));
    RenderedManifest.RenderedObject codec = m.codecServerDeployment().orElseThrow();

    assertThat(env(codec, "CODEC_SERVER_TOKEN_FILE"))
        .isEqualTo("/etc/bp-temporal/codec-token/token");
    assertThat(env(codec, "CODEC_SERVER_OIDC_ISSUER"))
        .isEqualTo("https://idp.example.com/realms/ops");
    assertThat(env(codec, "CODEC_SERVER_OIDC_JWKS_URL"))
        .isEqualTo("https://idp.example.com/realms/ops/keys");
    assertThat(env(codec, "CODEC_SERVER_OIDC_AUDIENCE")).isEqualTo("temporal-codec");
    assertThat(env(codec, "CODEC_SERVER_OIDC_REQUIRED_GROUP")).isEqualTo("/codec-readers");
    assertThat(mountedSecretAt(codec.at("/spec/template/spec"), "/etc/bp-temporal/codec-token"))
        .isEqualTo("bp-codec-server-token");
    // Its one call: the provider's keys, through the rules given for it.
    JsonNode egress = m.get("NetworkPolicy", "bp-temporal-allow-codec-server").at("/spec/egress");
    assertThat(egress.size()).isEqualTo(1);
    assertThat(egress.at("/0/to/0/namespaceSelector/matchLabels/team").asText()).isEqualTo("idp");
    assertThat(egress.at("/0/ports/0/port").asInt()).isEqualTo(8443);
  }

  @Test
  void onlyTheIngressPeersReachTheCodecServer() {
    RenderedManifest m = RenderCases.render(PRODUCTION);
    JsonNode spec = m.get("NetworkPolicy", "bp-temporal-allow-codec-server").at("/spec");
    assertThat(spec.at("/podSelector/matchLabels/app.kubernetes.io~1component").asText())
        .isEqualTo("codec-server");
    assertThat(spec.path("egress").size()).as("it calls nothing").isZero();
    JsonNode ingress = spec.path("ingress");
    assertThat(ingress.size()).isEqualTo(2);
    assertThat(
            ingress
                .at("/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                .asText())
        .isEqualTo("ingress-nginx");
    assertThat(ingress.at("/0/ports/0/port").asInt()).isEqualTo(8089);
    assertThat(ingress.at("/1/ports/0/port").asInt()).isEqualTo(9464);
    // The processes' policy does not select it: it gets no frontend or PostgreSQL egress.
    assertThat(
            m.get("NetworkPolicy", "bp-temporal-allow-processes")
                .at("/spec/podSelector/matchExpressions/0/values")
                .toString())
        .doesNotContain("codec-server");
  }

  // ---- images pinned by digest

  @Test
  void theProductionScenarioPinsEveryImageByDigest() {
    RenderedManifest m = RenderCases.render(PRODUCTION);
    List<String> images = new ArrayList<>();
    m.stream()
        .forEach(
            o -> {
              JsonNode pod = o.kind().equals("Pod") ? o.at("/spec") : o.at("/spec/template/spec");
              for (String list : List.of("containers", "initContainers")) {
                pod.path(list).forEach(c -> images.add(o.id() + " " + c.path("image").asText()));
              }
            });
    assertThat(images).isNotEmpty();
    assertThat(images).allSatisfy(i -> assertThat(i).matches(".*@sha256:[0-9a-f]{64}$"));
    assertThat(m.get("Cluster", "bp-temporal-pg").at("/spec/imageName").asText())
        .contains("@sha256:");
  }

  // ---- helpers

  private static void assumeUpstream() {
    ChartStaging.StagedChart staged = RenderCases.chart().staged();
    assumeTrue(staged.upstreamPresent(), staged::upstreamSkipReason);
  }

  /** The Secret mounted at exactly this path in any container of the pod ("" when none). */
  static String mountedSecretAt(JsonNode podSpec, String mountPath) {
    Map<String, String> secretOfVolume = new HashMap<>();
    podSpec
        .path("volumes")
        .forEach(
            v -> {
              if (v.has("secret")) {
                secretOfVolume.put(v.path("name").asText(), v.at("/secret/secretName").asText());
              }
            });
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : podSpec.path(list)) {
        for (JsonNode mount : c.path("volumeMounts")) {
          if (mount.path("mountPath").asText().equals(mountPath)
              && secretOfVolume.containsKey(mount.path("name").asText())) {
            assertThat(mount.path("readOnly").asBoolean())
                .as("the mount at " + mountPath + " is read-only")
                .isTrue();
            return secretOfVolume.get(mount.path("name").asText());
          }
        }
      }
    }
    return "";
  }

  private static Map<String, String> configMapData(RenderedManifest m, String name) {
    Map<String, String> data = new HashMap<>();
    m.get("ConfigMap", name)
        .at("/data")
        .fields()
        .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
    return data;
  }

  private static List<String> envFromConfigMaps(RenderedManifest.RenderedObject deployment) {
    List<String> names = new ArrayList<>();
    container(deployment)
        .path("envFrom")
        .forEach(e -> names.add(e.at("/configMapRef/name").asText()));
    return names;
  }
}
