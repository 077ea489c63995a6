package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chart/README.md is what helm-docs (pinned, built by scripts/bootstrap) makes of values.yaml and
 * README.md.gotmpl, and every value in it is documented by a {@code # --} comment, on the key or on
 * an enclosing map.
 */
class ValuesReadmeTest {
  static final String REGENERATE = "make chart-readme";
  private static String generated;

  @BeforeAll
  static void generate() throws IOException, InterruptedException {
    String toolsDir =
        System.getProperty("bp.tools.dir", System.getenv().getOrDefault("BP_TOOLS_DIR", ""));
    Path helmDocs = Path.of(toolsDir, "bin", "helm-docs");
    assertThat(helmDocs)
        .as("helm-docs from scripts/bootstrap (bp.tools.dir=%s)", toolsDir)
        .isExecutable();
    Path chart = RenderCases.chart().chartSource();
    // The same flags as `make chart-readme`; --dry-run prints the README instead of writing it.
    Process process =
        new ProcessBuilder(
                helmDocs.toString(),
                "--dry-run",
                "--chart-search-root",
                chart.toString(),
                "--sort-values-order",
                "file",
                "--skip-version-footer",
                "--log-level",
                "warning")
            .start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    generated = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("helm-docs: %s", err).isZero();
    assertThat(err)
        .as("helm-docs warnings (a value it cannot parse is skipped silently otherwise)")
        .isBlank();
  }

  @Test
  void readmeIsUpToDate() throws IOException {
    Path readme = RenderCases.chart().chartSource().resolve("README.md");
    String actual = Files.exists(readme) ? Files.readString(readme) : "";
    assertThat(actual)
        .as(
            "chart/README.md is out of date with chart/values.yaml; regenerate it with: "
                + REGENERATE)
        .isEqualToIgnoringNewLines(generated);
  }

  @Test
  void everyValueIsDocumented() {
    List<String> rows =
        generated
            .lines()
            .filter(
                l -> l.startsWith("| ") && !l.startsWith("| Key ") && !l.startsWith("| Repository"))
            .toList();
    assertThat(rows).as("value rows").hasSizeGreaterThan(150);
    assertThat(rows)
        .as("values without a '# --' comment on them or on an enclosing map")
        .allSatisfy(
            row ->
                assertThat(
                        row.substring(row.lastIndexOf('|', row.length() - 2) + 1, row.length() - 1))
                    .isNotBlank());
  }
}
