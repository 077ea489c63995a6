package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario and every overlay renders for Kubernetes 1.31 and passes `helm lint --strict`. */
class ScenarioRenderTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void rendersAndLintsStrictly(String label, RenderRequest request) {
    HelmBinary.Run template = RenderCases.chart().template(request);
    assertThat(template.succeeded()).as(template.describe()).isTrue();
    assertThat(RenderedManifest.parse(template.stdout()).objects())
        .as("objects rendered for " + label)
        .isNotEmpty();

    HelmBinary.Run lint = RenderCases.chart().lintStrict(request.valuesFiles());
    assertThat(lint.succeeded()).as(lint.describe()).isTrue();
    assertThat(lint.stdout())
        .as("lint findings for " + label)
        .doesNotContain("[WARNING]", "[ERROR]");
  }

  @Test
  void theEightDocumentedScenariosExist() {
    assertThat(RenderCases.chart().scenarios())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "01-minimal-values.yaml",
            "02-full-observability-values.yaml",
            "03-auth-values.yaml",
            "04-network-policy-values.yaml",
            "05-external-postgres-values.yaml",
            "06-production-like-values.yaml",
            "07-event-router-values.yaml",
            "08-tls-values.yaml");
    assertThat(RenderCases.chart().overlays()).isNotEmpty();
    for (var overlay : RenderCases.chart().overlays()) {
      assertThat(Files.isRegularFile(RenderCases.chart().overlayBase(overlay)))
          .as(overlay + " stacks on an existing scenario")
          .isTrue();
    }
  }

  @Test
  void chartDefaultsAloneDoNotRenderBecauseNoImageTagIsSet() {
    HelmBinary.Run run =
        RenderCases.chart().template(new RenderRequest(List.of(), List.of(), false));
    assertThat(run.succeeded()).isFalse();
    assertThat(run.stderr()).contains("workers.orderSaga.image.tag is empty", "imageDefaults.tag");
  }
}
