package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Overlays stack as docs/chart.md says: maps merge key by key, lists replace as a whole. And the
 * promise of the issue: copy an example overlay, change three values, get a clean render or an
 * error naming the key.
 */
class OverlayMergeTest {

  private static Path overlay(String name) {
    return RenderCases.chart().chartSource().resolve("overlays").resolve(name);
  }

  @Test
  void mapsMergeKeyByKey() {
    Path overlay = overlay("example-staging-eu1.yaml");
    RenderedManifest manifest =
        RenderCases.render(RenderRequest.of(RenderCases.chart().overlayBase(overlay), overlay));
    JsonNode resources =
        ProcessWorkloadTest.container(manifest.get("Deployment", "bp-temporal-order-saga-worker"))
            .path("resources");
    assertThat(resources.at("/limits/memory").asText()).as("from the overlay").isEqualTo("2Gi");
    assertThat(resources.at("/requests/memory").asText())
        .as("kept from values.yaml")
        .isEqualTo("512Mi");
    assertThat(resources.at("/requests/cpu").asText())
        .as("kept from values.yaml")
        .isEqualTo("250m");
    assertThat(manifest.get("Cluster", "bp-temporal-pg").at("/spec/instances").asInt())
        .isEqualTo(2);
    assertThat(
            ProcessWorkloadTest.container(manifest.get("Deployment", "bp-temporal-scheduler"))
                .path("image")
                .asText())
        .endsWith(":0.1.0-def5678");
  }

  @Test
  void listsReplaceInsteadOfMerging() {
    Path overlay = overlay("example-prod-eu1.yaml");
    RenderedManifest base =
        RenderCases.render(RenderRequest.of(RenderCases.chart().overlayBase(overlay)));
    RenderedManifest stacked =
        RenderCases.render(RenderRequest.of(RenderCases.chart().overlayBase(overlay), overlay));
    assertThat(ipBlocks(base)).containsExactly("10.0.0.1/32");
    assertThat(ipBlocks(stacked))
        .as("the overlay's list replaces the base list")
        .containsExactly("172.20.0.1/32");
    assertThat(stacked.get("Cluster", "bp-temporal-pg").at("/spec/storage/storageClass").asText())
        .isEqualTo("premium-rwo");
    assertThat(stacked.get("Cluster", "bp-temporal-pg").at("/spec/storage/size").asText())
        .as("merged from the base")
        .isEqualTo("100Gi");
  }

  @Test
  void aCopiedOverlayWithThreeChangedValuesRendersOrNamesTheBadKey() throws IOException {
    Path original = overlay("example-staging-eu1.yaml");
    String text = Files.readString(original);
    String changed =
        text.replace("tag: 0.1.0-def5678", "tag: 0.3.1-0badc0f")
            .replace("instances: 2", "instances: 3")
            .replace("size: 20Gi", "size: 50Gi");
    assertThat(changed).isNotEqualTo(text);
    Path copy = RenderCases.chart().valuesFile("my-cluster-overlay", changed);
    RenderedManifest manifest =
        RenderCases.render(RenderRequest.of(RenderCases.chart().overlayBase(original), copy));
    JsonNode cluster = manifest.get("Cluster", "bp-temporal-pg").body();
    assertThat(cluster.at("/spec/instances").asInt()).isEqualTo(3);
    assertThat(cluster.at("/spec/storage/size").asText()).isEqualTo("50Gi");
    assertThat(
            ProcessWorkloadTest.container(manifest.get("Deployment", "bp-temporal-pipeline-worker"))
                .path("image")
                .asText())
        .endsWith(":0.3.1-0badc0f");

    Path broken =
        RenderCases.chart()
            .valuesFile(
                "my-cluster-overlay-broken",
                changed
                    .replace("instances: 3", "instances: three")
                    .replace("storage:", "storrage:"));
    HelmBinary.Run run =
        RenderCases.chart()
            .template(RenderRequest.of(RenderCases.chart().overlayBase(original), broken));
    assertThat(run.succeeded()).isFalse();
    assertThat(run.stderr())
        .contains(
            "/postgres/cnpg/instances",
            "got string, want integer",
            "/postgres/cnpg",
            "additional properties 'storrage' not allowed");
  }

  private static List<String> ipBlocks(RenderedManifest manifest) {
    List<String> cidrs = new ArrayList<>();
    manifest
        .get("NetworkPolicy", "bp-temporal-allow-postgres")
        .at("/spec/egress")
        .forEach(
            rule ->
                rule.path("to")
                    .forEach(
                        peer -> {
                          if (peer.has("ipBlock")) {
                            cidrs.add(peer.at("/ipBlock/cidr").asText());
                          }
                        }));
    return cidrs;
  }
}
