package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging finds the upstream archive where users and CI keep it, copies it into the staged chart
 * only, refuses a wrong or missing one where a package is made, and drops the dependency (visibly)
 * only for render tests.
 */
class ChartStagingTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir Path temp;

  /**
   * A repository-like layout: temp/repo/chart (a copy of Chart.yaml and values.yaml) beside
   * temp/shared/upstream.
   */
  private Path copyOfChart() throws IOException {
    Path source = RenderCases.chart().chartSource();
    Path chart = temp.resolve("repo").resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.copy(source.resolve("Chart.yaml"), chart.resolve("Chart.yaml"));
    Files.copy(source.resolve("values.yaml"), chart.resolve("values.yaml"));
    return chart;
  }

  /** A gzip'ed chart archive whose Chart.yaml says {@code name} and {@code version}. */
  private Path archive(Path file, String name, String version)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory(temp, "archive");
    Files.createDirectories(work.resolve(name));
    Files.writeString(
        work.resolve(name).resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    Files.createDirectories(file.getParent());
    Process tar =
        new ProcessBuilder("tar", "-czf", file.toString(), "-C", work.toString(), name)
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    return file;
  }

  private static JsonNode chartYaml(Path staged) throws IOException {
    return new YAMLMapper().readTree(staged.resolve("Chart.yaml").toFile());
  }

  @Test
  void theArchiveIsLookedForInChartsThenTheEnvironmentThenSharedUpstream() throws IOException {
    Path chart = copyOfChart();
    List<Path> candidates =
        ChartStaging.archiveCandidates(
            chart, Map.of(ChartStaging.ARCHIVE_ENV, "/cache/temporal-1.6.0.tgz"));
    assertThat(candidates)
        .containsExactly(
            chart.resolve("charts/temporal-1.6.0.tgz"),
            Path.of("/cache/temporal-1.6.0.tgz"),
            temp.resolve("shared/upstream/temporal-1.6.0.tgz"));
  }

  @Test
  void theSharedUpstreamArchiveIsCopiedIntoTheStagedChartOnly() throws Exception {
    Path chart = copyOfChart();
    Path shared = archive(temp.resolve("shared/upstream/temporal-1.6.0.tgz"), "temporal", "1.6.0");
    ChartStaging.StagedChart staged =
        ChartStaging.stage(chart, temp.resolve("out"), ChartStaging.Mode.PACKAGE, NO_ENV);
    assertThat(staged.upstreamArchive()).contains(shared);
    assertThat(staged.dir().resolve("charts/temporal-1.6.0.tgz")).hasSameBinaryContentAs(shared);
    assertThat(Files.readString(staged.dir().resolve("Chart.yaml")))
        .isEqualTo(Files.readString(chart.resolve("Chart.yaml")));
    assertThat(chart.resolve("charts")).doesNotExist();
  }

  @Test
  void chartsWinsOverTheEnvironmentWhichWinsOverSharedUpstream() throws Exception {
    Path chart = copyOfChart();
    archive(temp.resolve("shared/upstream/temporal-1.6.0.tgz"), "temporal", "1.6.0");
    Path explicit = archive(temp.resolve("cache/temporal-1.6.0.tgz"), "temporal", "1.6.0");
    Map<String, String> env = Map.of(ChartStaging.ARCHIVE_ENV, explicit.toString());
    assertThat(
            ChartStaging.stage(chart, temp.resolve("out"), ChartStaging.Mode.TEST, env)
                .upstreamArchive())
        .contains(explicit);
    Path fetched = archive(chart.resolve("charts/temporal-1.6.0.tgz"), "temporal", "1.6.0");
    assertThat(
            ChartStaging.stage(chart, temp.resolve("out"), ChartStaging.Mode.TEST, env)
                .upstreamArchive())
        .contains(fetched);
  }

  @Test
  void anArchiveOfAnotherChartOrVersionIsRefused() throws Exception {
    Path chart = copyOfChart();
    Path wrong = archive(temp.resolve("cache/temporal-1.6.0.tgz"), "temporal", "1.5.0");
    assertThatThrownBy(
            () ->
                ChartStaging.stage(
                    chart,
                    temp.resolve("out"),
                    ChartStaging.Mode.TEST,
                    Map.of(ChartStaging.ARCHIVE_ENV, wrong.toString())))
        .hasMessageContaining("holds chart 'temporal 1.5.0'")
        .hasMessageContaining("depends on temporal 1.6.0");
  }

  @Test
  void aMistypedEnvironmentPathIsAnErrorNotASilentFallback() throws Exception {
    Path chart = copyOfChart();
    archive(temp.resolve("shared/upstream/temporal-1.6.0.tgz"), "temporal", "1.6.0");
    assertThatThrownBy(
            () ->
                ChartStaging.stage(
                    chart,
                    temp.resolve("out"),
                    ChartStaging.Mode.TEST,
                    Map.of(ChartStaging.ARCHIVE_ENV, temp.resolve("nope.tgz").toString())))
        .hasMessageContaining(ChartStaging.ARCHIVE_ENV)
        .hasMessageContaining("is not a file");
  }

  @Test
  void withoutAnyArchiveTestsRenderTheUmbrellaAloneAndSayWhy() throws IOException {
    ChartStaging.StagedChart staged =
        ChartStaging.stage(copyOfChart(), temp.resolve("out"), ChartStaging.Mode.TEST, NO_ENV);
    assertThat(staged.upstreamPresent()).isFalse();
    assertThat(chartYaml(staged.dir()).has("dependencies")).isFalse();
    assertThat(chartYaml(staged.dir()).path("version").asText())
        .isEqualTo(chartYaml(RenderCases.chart().chartSource()).path("version").asText());
    assertThat(staged.upstreamSkipReason())
        .contains("helm dependency build", ChartStaging.ARCHIVE_ENV, "shared/upstream");
  }

  @Test
  void packagingWithoutTheArchiveIsRefused() throws IOException {
    Path chart = copyOfChart();
    assertThatThrownBy(
            () -> ChartStaging.stage(chart, temp.resolve("out"), ChartStaging.Mode.PACKAGE, NO_ENV))
        .hasMessageContaining("refusing to lint and package")
        .hasMessageContaining("render-only");
  }

  @Test
  void anExplicitRenderOnlyPackageIsMarked() throws IOException {
    ChartStaging.StagedChart staged =
        ChartStaging.stage(
            copyOfChart(), temp.resolve("out"), ChartStaging.Mode.RENDER_ONLY, NO_ENV);
    JsonNode chart = chartYaml(staged.dir());
    assertThat(chart.path("version").asText()).endsWith(ChartStaging.RENDER_ONLY_SUFFIX);
    assertThat(chart.at("/annotations/bp-temporal.io~1render-only").asText())
        .contains("not for installation");
  }

  @Test
  void aReleaseTakesTheArchiveOnlyFromCharts() throws Exception {
    Path chart = copyOfChart();
    archive(temp.resolve("shared/upstream/temporal-1.6.0.tgz"), "temporal", "1.6.0");
    assertThatThrownBy(
            () -> ChartStaging.stage(chart, temp.resolve("out"), ChartStaging.Mode.RELEASE, NO_ENV))
        .hasMessageContaining("temporal-1.6.0.tgz is missing")
        .hasMessageContaining("helm dependency build chart");
  }
}
