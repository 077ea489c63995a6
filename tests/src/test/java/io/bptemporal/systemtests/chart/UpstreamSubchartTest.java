package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Assertions on the objects of the upstream temporal 1.6.0 subchart as configured by our values.
 * Staging finds the archive in chart/charts/, $BP_TEMPORAL_CHART_ARCHIVE or ../shared/upstream/
 * (see {@link ChartStaging}); only when none exists is each test reported as skipped, saying where
 * it looked. (Hardening, type and duplicate checks in the other classes cover upstream's objects
 * too.)
 */
class UpstreamSubchartTest {

  private RenderedManifest minimal;

  @BeforeEach
  void requireSubchart() {
    ChartStaging.StagedChart staged = RenderCases.chart().staged();
    assumeTrue(staged.upstreamPresent(), staged::upstreamSkipReason);
    minimal = RenderCases.minimal();
  }

  private List<RenderedManifest.RenderedObject> upstream(String kind) {
    return minimal.upstream().stream().filter(o -> o.kind().equals(kind)).toList();
  }

  @Test
  void rendersTheServerServicesWebUiAndAdminTools() {
    List<String> components =
        upstream("Deployment").stream()
            .map(d -> d.at("/metadata/labels/app.kubernetes.io~1component").asText())
            .toList();
    assertThat(components)
        .contains("frontend", "history", "matching", "worker", "web", "admintools");
  }

  @Test
  void schemaJobIsAPlainResourceNotAHook() {
    List<RenderedManifest.RenderedObject> jobs = upstream("Job");
    assertThat(jobs).isNotEmpty();
    for (RenderedManifest.RenderedObject job : jobs) {
      assertThat(job.at("/metadata/annotations/helm.sh~1hook").isMissingNode())
          .as(job.id())
          .isTrue();
    }
  }

  @Test
  void serverRolloutsCannotRaceTheSchema() {
    for (RenderedManifest.RenderedObject d : upstream("Deployment")) {
      String component = d.at("/metadata/labels/app.kubernetes.io~1component").asText();
      if (List.of("frontend", "history", "matching", "worker").contains(component)) {
        assertThat(d.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(-1))
            .as(d.id())
            .isZero();
      }
    }
  }

  @Test
  void storesReadTheCnpgAppSecretAndNoPasswordIsRendered() {
    assertThat(upstream("Secret"))
        .as("upstream renders no Secret when existingSecret is set")
        .isEmpty();
    boolean referencesAppSecret = false;
    for (RenderedManifest.RenderedObject d : upstream("Deployment")) {
      for (JsonNode c : d.at("/spec/template/spec/containers")) {
        for (JsonNode env : c.path("env")) {
          referencesAppSecret |=
              env.at("/valueFrom/secretKeyRef/name").asText().equals("bp-temporal-pg-app");
        }
      }
    }
    assertThat(referencesAppSecret)
        .as("a server container reads its password from bp-temporal-pg-app")
        .isTrue();
  }

  @Test
  void serverConfigPointsAtTheCnpgPrimaryWithTcp() {
    String config =
        upstream("ConfigMap").stream().map(o -> o.body().toString()).reduce("", String::concat);
    assertThat(config).contains("bp-temporal-pg-rw:5432", "temporal_visibility", "tcp");
  }

  @Test
  void namespacesOfTheWorkersAreCreated() {
    String jobs = upstream("Job").stream().map(o -> o.body().toString()).reduce("", String::concat);
    assertThat(jobs).contains("orders", "pipelines");
  }

  @Test
  void upstreamServiceMonitorsStayOffInFavourOfOurPodMonitor() {
    RenderedManifest full =
        RenderCases.render(RenderCases.scenario("02-full-observability-values.yaml"));
    assertThat(full.upstream().stream().filter(o -> o.kind().equals("ServiceMonitor")).toList())
        .isEmpty();
    assertThat(full.find("PodMonitor", "bp-temporal-temporal-server")).isPresent();
  }

  @Test
  void webUiReadsTheOidcConfigMapRenderedByTheUmbrella() {
    String web =
        upstream("Deployment").stream()
            .filter(
                d -> d.at("/metadata/labels/app.kubernetes.io~1component").asText().equals("web"))
            .map(o -> o.body().toString())
            .reduce("", String::concat);
    assertThat(web).contains("bp-temporal-web-auth");
  }

  @Test
  void upstreamContainersAreHardened() {
    long hardened =
        minimal.upstream().stream()
            .filter(o -> o.kind().equals("Deployment") || o.kind().equals("Job"))
            .flatMap(
                o -> {
                  List<JsonNode> containers = new java.util.ArrayList<>();
                  o.at("/spec/template/spec/containers").forEach(containers::add);
                  o.at("/spec/template/spec/initContainers").forEach(containers::add);
                  return containers.stream();
                })
            .filter(
                c ->
                    c.at("/securityContext/readOnlyRootFilesystem").asBoolean(false)
                        && !c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
            .count();
    long all =
        minimal.upstream().stream()
            .filter(o -> o.kind().equals("Deployment") || o.kind().equals("Job"))
            .mapToLong(
                o ->
                    o.at("/spec/template/spec/containers").size()
                        + o.at("/spec/template/spec/initContainers").size())
            .sum();
    assertThat(all).isPositive();
    assertThat(hardened).isEqualTo(all);
  }
}
