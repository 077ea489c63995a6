package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scripts/chart-sbom on a real {@code helm package} of the staged chart (with the upstream
 * subchart): the CycloneDX SBOM of the chart release (docs/security.md, "Supply chain"). What the
 * SBOM says is checked against what this test computes itself: the archive's SHA-256, the upstream
 * archive's files, and the images of its own {@code helm template} run parsed with Jackson.
 */
class ChartSbomTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MINIMAL = "01-minimal-values.yaml";
  private static final String PRODUCTION = "06-production-like-values.yaml";

  /** Where a pod spec sits in each kind that has one. */
  private static final Map<String, String> POD_SPEC_PATHS =
      Map.of(
          "Pod", "/spec",
          "Deployment", "/spec/template/spec",
          "StatefulSet", "/spec/template/spec",
          "DaemonSet", "/spec/template/spec",
          "ReplicaSet", "/spec/template/spec",
          "Job", "/spec/template/spec",
          "CronJob", "/spec/jobTemplate/spec/template/spec");

  private static ChartUnderTest chart;
  private static Path work;
  private static Path archive;

  @BeforeAll
  static void packageTheStagedChart() throws IOException {
    chart = RenderCases.chart();
    ChartStaging.StagedChart staged = chart.staged();
    // Without the upstream subchart the staged chart is not what a release packages.
    assumeTrue(staged.upstreamPresent(), staged::upstreamSkipReason);
    work = chart.repoRoot().resolve("tests/target/chart-sbom");
    deleteRecursively(work);
    Files.createDirectories(work.resolve("package"));
    HelmBinary.Run packaged =
        chart
            .helm()
            .run(
                List.of(
                    "package",
                    staged.dir().toString(),
                    "--destination",
                    work.resolve("package").toString()));
    assertThat(packaged.succeeded()).as(packaged.describe()).isTrue();
    try (Stream<Path> files = Files.list(work.resolve("package"))) {
      archive = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
    }
  }

  @Test
  void minimalValuesListTheChartTheUpstreamSubchartAndEveryRenderedImage() throws IOException {
    Path values = RenderCases.scenarioFile(MINIMAL);
    JsonNode bom = sbom("minimal", values);

    assertTheChartAndItsSubchart(bom);
    assertThat(imageReferences(bom)).isEqualTo(renderedImages(values));
    // The minimal scenario pins nothing by digest: every image says so.
    for (JsonNode image : containers(bom)) {
      assertThat(property(image, "bp-temporal:image-pinning"))
          .as(image.toString())
          .isEqualTo("unpinned");
      assertThat(image.path("purl").asText()).doesNotContain("@").startsWith("pkg:oci/");
      assertThat(image.has("hashes")).as(image.toString()).isFalse();
    }
    // Its CNPG Cluster leaves the PostgreSQL image to the operator; the SBOM names that gap.
    assertThat(metadataProperties(bom, "bp-temporal:image-not-listed"))
        .containsExactly(
            "Cluster/bp-temporal-pg: spec.imageName is unset, so the CloudNativePG operator runs its"
                + " default PostgreSQL image");
  }

  @Test
  void productionLikeValuesPinEveryImagePurlByDigest() throws IOException {
    Path values = RenderCases.scenarioFile(PRODUCTION);
    JsonNode bom = sbom("production", values);

    assertTheChartAndItsSubchart(bom);
    Set<String> rendered = renderedImages(values);
    assertThat(imageReferences(bom)).isEqualTo(rendered);
    // The CNPG operand image is among them: the scenario names it in spec.imageName.
    assertThat(rendered).anyMatch(i -> i.startsWith("ghcr.io/cloudnative-pg/postgresql:"));
    assertThat(containers(bom)).hasSize(rendered.size());
    for (JsonNode image : containers(bom)) {
      String reference = property(image, "bp-temporal:image-reference");
      String digest = reference.substring(reference.indexOf('@') + 1);
      assertThat(digest).matches("sha256:[0-9a-f]{64}");
      assertThat(image.path("purl").asText())
          .as(reference)
          .startsWith("pkg:oci/")
          .contains("@" + digest.replace(":", "%3A") + "?")
          .contains("repository_url=");
      assertThat(property(image, "bp-temporal:image-pinning")).isEqualTo("digest");
      assertThat(image.at("/hashes/0/content").asText()).isEqualTo(digest.substring(7));
    }
    assertThat(metadataProperties(bom, "bp-temporal:image-not-listed")).isEmpty();
  }

  @Test
  void theSameInputsGiveTheSameBytes() throws IOException {
    Path values = RenderCases.scenarioFile(PRODUCTION);
    Path first = work.resolve("again-1.cdx.json");
    Path second = work.resolve("again-2.cdx.json");
    assertThat(runScript("-f", values.toString(), "-o", first.toString(), archive.toString()).exit)
        .isZero();
    assertThat(runScript("-f", values.toString(), "-o", second.toString(), archive.toString()).exit)
        .isZero();
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    // No time and no random serial number unless asked for (SOURCE_DATE_EPOCH).
    JsonNode bom = JSON.readTree(first.toFile());
    assertThat(bom.has("serialNumber")).isFalse();
    assertThat(bom.at("/metadata/timestamp").isMissingNode()).isTrue();
  }

  @Test
  void withoutOutputItWritesNameVersionCdxJsonNextToTheArchive() throws IOException {
    Path expected =
        archive.resolveSibling("bp-temporal-" + chartYaml().path("version").asText() + ".cdx.json");
    Files.deleteIfExists(expected);
    Result result =
        runScript("-f", RenderCases.scenarioFile(MINIMAL).toString(), archive.toString());
    assertThat(result.exit).as(result.stderr).isZero();
    assertThat(expected).isRegularFile();
    assertThat(result.stdout).contains(expected.toString());
  }

  @Test
  void aRenderFailureSaysWhatFailedAndWritesNothing() {
    // The chart's defaults refuse to render (no image tag): the script must pass helm's reason on.
    Path out = work.resolve("refused.cdx.json");
    Result result = runScript("-o", out.toString(), archive.toString());
    assertThat(result.exit).isEqualTo(1);
    assertThat(result.stderr)
        .contains("rendering " + archive + " failed")
        .contains("helm: Error:")
        .contains("image.tag is empty")
        .contains("-f chart/ci/01-minimal-values.yaml");
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingArchiveOrHelmIsNamed() {
    Path missing = work.resolve("no-such-chart.tgz");
    Result noArchive = runScript(missing.toString());
    assertThat(noArchive.exit).isEqualTo(1);
    assertThat(noArchive.stderr).contains("chart archive " + missing + " not found");

    Path noHelm = work.resolve("no-helm-here");
    Result result = runScriptWith(noHelm, archive.toString());
    assertThat(result.exit).isEqualTo(1);
    assertThat(result.stderr).contains("helm not found at " + noHelm).contains("scripts/bootstrap");
  }

  // ---- the chart and the upstream subchart

  private static void assertTheChartAndItsSubchart(JsonNode bom) throws IOException {
    assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");

    JsonNode component = bom.at("/metadata/component");
    JsonNode chartYaml = chartYaml();
    assertThat(component.path("name").asText()).isEqualTo(chartYaml.path("name").asText());
    assertThat(component.path("version").asText()).isEqualTo(chartYaml.path("version").asText());
    assertThat(component.at("/hashes/0/alg").asText()).isEqualTo("SHA-256");
    assertThat(component.at("/hashes/0/content").asText())
        .isEqualTo(sha256(Files.readAllBytes(archive)));
    assertThat(component.path("purl").asText())
        .isEqualTo("pkg:helm/bp-temporal@" + chartYaml.path("version").asText());

    List<JsonNode> subcharts = new ArrayList<>();
    bom.path("components")
        .forEach(
            c -> {
              if (c.path("type").asText().equals("application")) {
                subcharts.add(c);
              }
            });
    assertThat(subcharts).hasSize(1);
    JsonNode temporal = subcharts.getFirst();
    assertThat(temporal.path("name").asText()).isEqualTo(ChartStaging.UPSTREAM_NAME);
    assertThat(temporal.path("version").asText()).isEqualTo(ChartStaging.UPSTREAM_VERSION);
    assertThat(temporal.path("purl").asText())
        .isEqualTo("pkg:helm/temporal@1.6.0?repository_url=https://go.temporal.io/helm-charts");
    // helm package stores the dependency unpacked, so its hash covers its files; computed here from
    // the upstream archive the suite staged, it proves the release carries upstream's bytes.
    assertThat(temporal.at("/hashes/0/content").asText())
        .isEqualTo(filesDigest(chart.staged().upstreamArchive().orElseThrow()));

    // The chart depends on every component.
    Set<String> refs = new TreeSet<>();
    bom.path("components").forEach(c -> refs.add(c.path("bom-ref").asText()));
    assertThat(bom.path("dependencies")).hasSize(1);
    assertThat(bom.at("/dependencies/0/ref").asText())
        .isEqualTo(component.path("bom-ref").asText());
    Set<String> dependsOn = new TreeSet<>();
    bom.at("/dependencies/0/dependsOn").forEach(d -> dependsOn.add(d.asText()));
    assertThat(dependsOn).isEqualTo(refs);
  }

  /**
   * SHA-256 of the sha256sum-style listing ("hex path\n", sorted by path, relative to the chart's
   * directory) of the files of a chart archive, as docs/security.md describes it.
   */
  private static String filesDigest(Path chartArchive) throws IOException {
    Path dir = work.resolve("upstream-unpacked");
    deleteRecursively(dir);
    Files.createDirectories(dir);
    Result untar =
        run(List.of("tar", "-xzf", chartArchive.toString(), "-C", dir.toString()), Map.of());
    assertThat(untar.exit).as(untar.stderr).isZero();
    Path chartDir = dir.resolve(ChartStaging.UPSTREAM_NAME);
    TreeMap<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(chartDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        hashes.put(
            chartDir.relativize(file).toString().replace('\\', '/'),
            sha256(Files.readAllBytes(file)));
      }
    }
    StringBuilder listing = new StringBuilder();
    hashes.forEach((path, hash) -> listing.append(hash).append("  ").append(path).append('\n'));
    return sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
  }

  // ---- images

  /** Every image the packaged chart renders with these values, found with Jackson. */
  private static Set<String> renderedImages(Path values) {
    HelmBinary.Run run =
        chart
            .helm()
            .run(
                List.of(
                    "template",
                    ChartUnderTest.RELEASE,
                    archive.toString(),
                    "--namespace",
                    ChartUnderTest.NAMESPACE,
                    "--kube-version",
                    ChartUnderTest.KUBE_VERSION,
                    "-f",
                    values.toString()));
    assertThat(run.succeeded()).as(run.describe()).isTrue();
    Set<String> images = new TreeSet<>();
    for (RenderedManifest.RenderedObject object : RenderedManifest.parse(run.stdout()).objects()) {
      String podPath = POD_SPEC_PATHS.get(object.kind());
      if (podPath != null) {
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
          object.at(podPath).path(list).forEach(c -> images.add(c.path("image").asText()));
        }
      }
      if (object.kind().equals("Cluster")
          && object.apiVersion().startsWith("postgresql.cnpg.io/")
          && object.at("/spec/imageName").isTextual()) {
        images.add(object.at("/spec/imageName").asText());
      }
    }
    assertThat(images).isNotEmpty().doesNotContain("");
    return images;
  }

  private static List<JsonNode> containers(JsonNode bom) {
    List<JsonNode> containers = new ArrayList<>();
    bom.path("components")
        .forEach(
            c -> {
              if (c.path("type").asText().equals("container")) {
                containers.add(c);
              }
            });
    return containers;
  }

  private static Set<String> imageReferences(JsonNode bom) {
    Set<String> references = new TreeSet<>();
    for (JsonNode image : containers(bom)) {
      assertThat(references.add(property(image, "bp-temporal:image-reference")))
          .as("listed once: " + image)
          .isTrue();
    }
    return references;
  }

  private static String property(JsonNode component, String name) {
    for (JsonNode p : component.path("properties")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("value").asText();
      }
    }
    throw new AssertionError("no property " + name + " on " + component);
  }

  private static List<String> metadataProperties(JsonNode bom, String name) {
    List<String> found = new ArrayList<>();
    bom.at("/metadata/properties")
        .forEach(
            p -> {
              if (p.path("name").asText().equals(name)) {
                found.add(p.path("value").asText());
              }
            });
    return found;
  }

  // ---- running the script

  private record Result(int exit, String stdout, String stderr) {}

  private static JsonNode sbom(String label, Path values) throws IOException {
    Path out = work.resolve(label + ".cdx.json");
    Result result = runScript("-f", values.toString(), "-o", out.toString(), archive.toString());
    assertThat(result.exit).as(result.stderr).isZero();
    return JSON.readTree(out.toFile());
  }

  private static Result runScript(String... args) {
    return runScriptWith(chart.helm().executable(), args);
  }

  private static Result runScriptWith(Path helm, String... args) {
    List<String> command = new ArrayList<>();
    command.add(chart.repoRoot().resolve("scripts/chart-sbom").toString());
    command.add("--helm");
    command.add(helm.toString());
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  private static Result run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      // Without a SOURCE_DATE_EPOCH from the caller's environment: the default output is checked.
      builder.environment().remove("SOURCE_DATE_EPOCH");
      builder.environment().putAll(env);
      Path out = Files.createTempFile(work, "out", ".txt");
      Path err = Files.createTempFile(work, "err", ".txt");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("did not finish within 180 s: " + command);
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ---- helpers

  private static JsonNode chartYaml() throws IOException {
    return new YAMLMapper().readTree(chart.chartSource().resolve("Chart.yaml").toFile());
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
