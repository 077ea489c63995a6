package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging keeps the dependency when the archive is there and drops it (visibly) when it is not. */
class ChartStagingTest {

    @TempDir
    Path temp;

    private Path copyOfChart(boolean withArchive) throws IOException {
        Path source = RenderCases.chart().chartSource();
        Path chart = temp.resolve("src");
        Files.createDirectories(chart.resolve("templates"));
        Files.copy(source.resolve("Chart.yaml"), chart.resolve("Chart.yaml"));
        Files.copy(source.resolve("values.yaml"), chart.resolve("values.yaml"));
        if (withArchive) {
            Files.createDirectories(chart.resolve("charts"));
            Files.writeString(chart.resolve("charts").resolve(ChartStaging.UPSTREAM_ARCHIVE), "stand-in for the fetched archive");
        }
        return chart;
    }

    private static JsonNode chartYaml(Path staged) throws IOException {
        return new YAMLMapper().readTree(staged.resolve("Chart.yaml").toFile());
    }

    @Test
    void withoutTheArchiveTheDependencyIsDroppedAndTheVersionKeptForTests() throws IOException {
        ChartStaging.StagedChart staged = ChartStaging.stage(copyOfChart(false), temp.resolve("out"), ChartStaging.Mode.TEST);
        assertThat(staged.upstreamPresent()).isFalse();
        assertThat(chartYaml(staged.dir()).has("dependencies")).isFalse();
        assertThat(chartYaml(staged.dir()).path("version").asText()).isEqualTo(chartYaml(RenderCases.chart().chartSource()).path("version").asText());
        assertThat(staged.upstreamSkipReason()).contains("helm dependency build");
    }

    @Test
    void aDependencyLessPackageIsMarkedRenderOnly() throws IOException {
        ChartStaging.StagedChart staged = ChartStaging.stage(copyOfChart(false), temp.resolve("out"), ChartStaging.Mode.RENDER_ONLY_IF_NEEDED);
        JsonNode chart = chartYaml(staged.dir());
        assertThat(chart.path("version").asText()).endsWith(ChartStaging.RENDER_ONLY_SUFFIX);
        assertThat(chart.at("/annotations/bp-temporal.io~1render-only").asText()).contains("not for installation");
    }

    @Test
    void withTheArchiveNothingChanges() throws IOException {
        Path source = copyOfChart(true);
        ChartStaging.StagedChart staged = ChartStaging.stage(source, temp.resolve("out"), ChartStaging.Mode.RENDER_ONLY_IF_NEEDED);
        assertThat(staged.upstreamPresent()).isTrue();
        assertThat(Files.readString(staged.dir().resolve("Chart.yaml"))).isEqualTo(Files.readString(source.resolve("Chart.yaml")));
        assertThat(staged.dir().resolve("charts").resolve(ChartStaging.UPSTREAM_ARCHIVE)).isRegularFile();
    }

    @Test
    void aReleaseRefusesToStageWithoutTheArchive() throws IOException {
        Path source = copyOfChart(false);
        assertThatThrownBy(() -> ChartStaging.stage(source, temp.resolve("out"), ChartStaging.Mode.RELEASE))
                .hasMessageContaining("temporal-1.6.0.tgz is missing").hasMessageContaining("helm dependency build chart");
    }
}
