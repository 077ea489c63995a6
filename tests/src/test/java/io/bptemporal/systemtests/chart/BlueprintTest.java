package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * blueprint.yaml agrees with the chart: versions, OCI reference, images, overlays and observability
 * defaults.
 */
class BlueprintTest {

  private static JsonNode blueprint;
  private static JsonNode chart;
  private static JsonNode values;
  private static Path root;

  @BeforeAll
  static void load() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    root = RenderCases.chart().repoRoot();
    blueprint = yaml.readTree(root.resolve("blueprint.yaml").toFile());
    chart = yaml.readTree(root.resolve("chart/Chart.yaml").toFile());
    values = yaml.readTree(root.resolve("chart/values.yaml").toFile());
  }

  @Test
  void nameVersionAndChartReferenceMatchChartYaml() {
    assertThat(blueprint.path("name").asText())
        .isEqualTo("bp-temporal")
        .isEqualTo(chart.path("name").asText());
    assertThat(blueprint.path("version").asText()).isEqualTo(chart.path("version").asText());
    assertThat(blueprint.at("/chart/version").asText()).isEqualTo(chart.path("version").asText());
    assertThat(blueprint.at("/chart/kubeVersion").asText())
        .isEqualTo(chart.path("kubeVersion").asText());
    assertThat(blueprint.at("/chart/ref").asText())
        .startsWith("oci://")
        .endsWith("/" + chart.path("name").asText());
  }

  @Test
  void dependsOnCnpgAndCertManagerAndOptionallyStrimziWithVersionRanges() {
    List<String> names = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    for (JsonNode dep : blueprint.path("dependsOn")) {
      names.add(dep.path("name").asText());
      assertThat(dep.path("version").asText())
          .as(dep.toString())
          .matches(">=\\d+\\.\\d+\\.\\d+ <\\d+\\.\\d+\\.\\d+");
      assertThat(dep.path("needed").asText()).as(dep.toString()).isNotBlank();
      if (dep.path("optional").asBoolean(false)) {
        optional.add(dep.path("name").asText());
      }
    }
    assertThat(names).containsExactly("bp-cnpg", "bp-cert-manager", "bp-strimzi");
    // The broker is needed only by the event router, which is off by default.
    assertThat(optional).containsExactly("bp-strimzi");
    assertThat(values.at("/eventRouter/enabled").asBoolean(true)).isFalse();
  }

  @Test
  void everyImageExistsInValuesAtThePathItNames() {
    assertThat(blueprint.path("images"))
        .as("one per process image: order-saga, pipeline, activity worker, scheduler, event router")
        .hasSize(5);
    String registry = values.at("/imageDefaults/registry").asText();
    for (JsonNode image : blueprint.path("images")) {
      JsonNode node = values;
      for (String segment : image.path("values").asText().split("\\.")) {
        node = node.path(segment);
      }
      assertThat(node.isObject()).as(image.path("values").asText() + " in values.yaml").isTrue();
      String imageRegistry =
          node.path("registry").asText().isEmpty() ? registry : node.path("registry").asText();
      assertThat(imageRegistry + "/" + node.path("repository").asText())
          .as(image.path("name").asText())
          .isEqualTo(image.path("repository").asText());
    }
  }

  @Test
  void everyImageHasADigestSlotFilledOnlyWithADigestAndNamesItsSbom() {
    for (JsonNode image : blueprint.path("images")) {
      // Empty in the repository; scripts/record-image-digests fills it at release.
      assertThat(image.has("digest")).as(image.path("name").asText() + " has digest").isTrue();
      assertThat(image.path("digest").asText())
          .as(image.path("name").asText())
          .matches("^$|^sha256:[0-9a-f]{64}$");
      assertThat(image.path("sbom").asText()).isEqualTo("/app/resources/META-INF/sbom/bom.json");
    }
    assertThat(Files.isExecutable(root.resolve("scripts/record-image-digests"))).isTrue();
  }

  @Test
  void scenariosAndOverlaysListedAreTheOnesInTheChart() {
    List<String> scenarios = new ArrayList<>();
    blueprint.path("scenarios").forEach(s -> scenarios.add(s.asText()));
    assertThat(scenarios)
        .containsExactlyElementsOf(
            RenderCases.chart().scenarios().stream()
                .map(p -> root.relativize(p).toString())
                .toList());
    List<String> overlays = new ArrayList<>();
    for (JsonNode overlay : blueprint.path("overlays")) {
      Path path = root.resolve(overlay.path("path").asText());
      overlays.add(root.relativize(path).toString());
      assertThat(root.relativize(RenderCases.chart().overlayBase(path)).toString())
          .as("stacksOn of " + path)
          .isEqualTo(overlay.path("stacksOn").asText());
    }
    assertThat(overlays)
        .containsExactlyInAnyOrderElementsOf(
            RenderCases.chart().overlays().stream()
                .map(p -> root.relativize(p).toString())
                .toList());
  }

  @Test
  void observabilityDefaultsAreTheChartDefaultsAndAllOff() {
    JsonNode defaults = blueprint.at("/observability/defaults");
    assertThat(defaults.size()).isEqualTo(values.path("observability").size());
    values
        .path("observability")
        .fields()
        .forEachRemaining(
            e -> {
              assertThat(defaults.path(e.getKey()).isBoolean()).as(e.getKey()).isTrue();
              assertThat(defaults.path(e.getKey()).asBoolean())
                  .as(e.getKey())
                  .isEqualTo(e.getValue().path("enabled").asBoolean())
                  .isFalse();
            });
    assertThat(Files.isDirectory(root.resolve(blueprint.at("/observability/runbooks").asText())))
        .isTrue();
  }
}
