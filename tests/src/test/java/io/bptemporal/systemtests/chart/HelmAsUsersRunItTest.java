package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bootstrapped helm behaves like a released one: it knows the Kubernetes version it was built
 * against, so a plain {@code helm template} or {@code helm lint} of the umbrella (which requires
 * Kubernetes ≥ 1.29) works without {@code --kube-version}, as it does for users with a downloaded
 * helm.
 */
class HelmAsUsersRunItTest {

  private final ChartUnderTest chart = RenderCases.chart();
  private final String minimal = RenderCases.scenarioFile("01-minimal-values.yaml").toString();

  @Test
  void reportsThePinnedReleaseVersion() throws IOException {
    String pinned =
        Files.readAllLines(chart.repoRoot().resolve("scripts/tools.versions")).stream()
            .filter(l -> l.startsWith("HELM_VERSION="))
            .map(l -> l.substring("HELM_VERSION=".length()).strip())
            .findFirst()
            .orElseThrow(() -> new AssertionError("scripts/tools.versions pins no HELM_VERSION"));
    HelmBinary.Run run = chart.helm().run(List.of("version", "--template", "{{ .Version }}"));
    assertThat(run.succeeded()).as(run.describe()).isTrue();
    assertThat(run.stdout().strip()).isEqualTo(pinned);
  }

  @Test
  void templatesTheUmbrellaWithoutAKubeVersionFlag() {
    HelmBinary.Run run =
        chart
            .helm()
            .run(
                List.of("template", "bp-temporal", chart.staged().dir().toString(), "-f", minimal));
    assertThat(run.succeeded()).as(run.describe()).isTrue();
    assertThat(RenderedManifest.parse(run.stdout()).find("Deployment", "bp-temporal-scheduler"))
        .isPresent();
  }

  @Test
  void lintsTheUmbrellaStrictlyWithoutAKubeVersionFlag() {
    HelmBinary.Run run =
        chart
            .helm()
            .run(List.of("lint", "--strict", chart.staged().dir().toString(), "-f", minimal));
    assertThat(run.succeeded()).as(run.describe()).isTrue();
  }
}
