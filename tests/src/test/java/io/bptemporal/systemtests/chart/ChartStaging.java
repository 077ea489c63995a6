package io.bptemporal.systemtests.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Copies chart/ to a build directory together with the upstream {@code temporal} subchart archive,
 * so helm renders, lints and packages exactly what users install.
 *
 * <p>Chart.yaml declares the upstream {@code temporal} 1.6.0 dependency; chart/charts/ is only
 * filled by {@code helm dependency build}, which needs the network, and is never committed. The
 * archive is taken from, in this order: {@code chart/charts/} (a user's {@code helm dependency
 * build}), the file named by {@value #ARCHIVE_ENV}, and {@code ../shared/upstream/} beside the
 * repository (our machines and CI). It is copied into the staged chart only, never into the
 * repository. When none exists, tests render the umbrella alone and skip the assertions on
 * upstream's objects, saying why; a package is never produced without it unless asked for
 * explicitly ({@link Mode#RENDER_ONLY}).
 */
public final class ChartStaging {

  static final String UPSTREAM_NAME = "temporal";
  static final String UPSTREAM_VERSION = "1.6.0";
  static final String UPSTREAM_ARCHIVE = UPSTREAM_NAME + "-" + UPSTREAM_VERSION + ".tgz";

  /** An explicit path to the upstream archive, e.g. a copy kept by a CI cache. */
  static final String ARCHIVE_ENV = "BP_TEMPORAL_CHART_ARCHIVE";

  static final String RENDER_ONLY_SUFFIX = "-render-only";

  /** How to stage. */
  enum Mode {
    /**
     * Tests: without the archive, drop the dependency and keep the version (the upstream assertions
     * skip).
     */
    TEST,
    /** Maven verify: the archive must be found; lint and package then cover the whole blueprint. */
    PACKAGE,
    /**
     * Explicit opt-in (-Dbp.chart.staging=render-only): without the archive, a package marked
     * {@code <version>-render-only}.
     */
    RENDER_ONLY,
    /**
     * Release: the archive must be in chart/charts/ (what `helm dependency build` fetched from the
     * upstream repository).
     */
    RELEASE;

    static Mode parse(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "test" -> TEST;
        case "package" -> PACKAGE;
        case "render-only" -> RENDER_ONLY;
        case "release" -> RELEASE;
        default ->
            throw new IllegalArgumentException(
                "staging mode '" + value + "' is not one of: test, package, render-only, release");
      };
    }
  }

  /** The staged chart and where its upstream subchart came from (empty: not included). */
  record StagedChart(Path dir, Optional<Path> upstreamArchive, List<Path> searched) {
    boolean upstreamPresent() {
      return upstreamArchive.isPresent();
    }

    String upstreamSkipReason() {
      return "upstream subchart "
          + UPSTREAM_ARCHIVE
          + " not found (looked in "
          + describe(searched)
          + "); get it with `helm dependency build chart` (needs https://go.temporal.io/helm-charts) or set "
          + ARCHIVE_ENV
          + " to a copy";
    }
  }

  private ChartStaging() {}

  /** Where the archive is looked for, in order; {@code env} is the process environment. */
  static List<Path> archiveCandidates(Path chartDir, Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(chartDir.resolve("charts").resolve(UPSTREAM_ARCHIVE));
    String explicit = env.getOrDefault(ARCHIVE_ENV, "");
    if (!explicit.isBlank()) {
      candidates.add(Path.of(explicit));
    }
    Path repoRoot = chartDir.toAbsolutePath().normalize().getParent();
    if (repoRoot != null && repoRoot.getParent() != null) {
      candidates.add(
          repoRoot.getParent().resolve("shared").resolve("upstream").resolve(UPSTREAM_ARCHIVE));
    }
    return candidates;
  }

  static StagedChart stage(Path chartDir, Path outputParent, Mode mode) {
    return stage(chartDir, outputParent, mode, System.getenv());
  }

  static StagedChart stage(Path chartDir, Path outputParent, Mode mode, Map<String, String> env) {
    List<Path> candidates = archiveCandidates(chartDir, env);
    Optional<Path> archive = candidates.stream().filter(Files::isRegularFile).findFirst();
    String explicit = env.getOrDefault(ARCHIVE_ENV, "");
    if (!explicit.isBlank() && !Files.isRegularFile(Path.of(explicit))) {
      // A path someone set on purpose and got wrong is an error, not a reason to fall back
      // silently.
      throw new IllegalStateException(
          ARCHIVE_ENV
              + "="
              + explicit
              + " is not a file; it must name a copy of "
              + UPSTREAM_ARCHIVE);
    }
    archive.ifPresent(ChartStaging::checkIsTheDeclaredUpstream);
    if (mode == Mode.RELEASE && !Files.isRegularFile(candidates.getFirst())) {
      throw new IllegalStateException(
          "chart/charts/"
              + UPSTREAM_ARCHIVE
              + " is missing: a release packages the upstream subchart "
              + "fetched from its repository. Run `helm repo add temporal https://go.temporal.io/helm-charts && helm dependency build chart` first.");
    }
    if (mode == Mode.PACKAGE && archive.isEmpty()) {
      throw new IllegalStateException(
          "refusing to lint and package the chart without its upstream subchart: "
              + UPSTREAM_ARCHIVE
              + " not found (looked in "
              + describe(candidates)
              + "). Run `helm dependency build chart`, set "
              + ARCHIVE_ENV
              + ", or build an explicitly marked render-only package with -Dbp.chart.staging=render-only.");
    }
    Path target = outputParent.resolve("bp-temporal");
    deleteRecursively(target);
    copyRecursively(chartDir, target);
    if (archive.isPresent()) {
      copyArchive(archive.get(), target.resolve("charts").resolve(UPSTREAM_ARCHIVE));
    } else {
      rewriteChartYaml(target.resolve("Chart.yaml"), mode == Mode.RENDER_ONLY);
      deleteRecursively(target.resolve("Chart.lock"));
    }
    return new StagedChart(target, archive, candidates);
  }

  /**
   * The archive must hold the chart Chart.yaml declares: a wrong file in the environment variable
   * renders something else.
   */
  private static void checkIsTheDeclaredUpstream(Path archive) {
    String chartYaml;
    try {
      Process tar =
          new ProcessBuilder("tar", "-xzOf", archive.toString(), UPSTREAM_NAME + "/Chart.yaml")
              .redirectErrorStream(true)
              .start();
      chartYaml = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
        throw new IllegalStateException(
            archive
                + " is not a gzip'ed chart archive holding "
                + UPSTREAM_NAME
                + "/Chart.yaml: "
                + chartYaml.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + archive, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + archive, e);
    }
    try {
      JsonNode chart = new YAMLMapper().readTree(chartYaml);
      String found = chart.path("name").asText() + " " + chart.path("version").asText();
      if (!found.equals(UPSTREAM_NAME + " " + UPSTREAM_VERSION)) {
        throw new IllegalStateException(
            archive
                + " holds chart '"
                + found
                + "', but chart/Chart.yaml depends on "
                + UPSTREAM_NAME
                + " "
                + UPSTREAM_VERSION);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(archive + ": its Chart.yaml is not YAML", e);
    }
  }

  private static void copyArchive(Path archive, Path into) {
    try {
      Files.createDirectories(into.getParent());
      if (!Files.exists(into)) {
        Files.copy(archive, into, StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + archive + " to " + into, e);
    }
  }

  private static void rewriteChartYaml(Path chartYaml, boolean markRenderOnly) {
    YAMLMapper yaml = new YAMLMapper();
    try {
      ObjectNode chart = (ObjectNode) yaml.readTree(chartYaml.toFile());
      JsonNode deps = chart.path("dependencies");
      if (deps instanceof ArrayNode list) {
        for (int i = list.size() - 1; i >= 0; i--) {
          if (UPSTREAM_NAME.equals(list.get(i).path("name").asText())) {
            list.remove(i);
          }
        }
        if (list.isEmpty()) {
          chart.remove("dependencies");
        }
      }
      if (markRenderOnly) {
        chart.put("version", chart.path("version").asText() + RENDER_ONLY_SUFFIX);
        ((ObjectNode) chart.withObjectProperty("annotations"))
            .put(
                "bp-temporal.io/render-only",
                "upstream temporal subchart not included; not for installation");
      }
      yaml.writeValue(chartYaml.toFile(), chart);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + chartYaml, e);
    }
  }

  private static String describe(List<Path> paths) {
    return String.join(", ", paths.stream().map(Path::toString).toList());
  }

  private static void copyRecursively(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              Files.createDirectories(to.resolve(from.relativize(dir).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.copy(
                  file,
                  to.resolve(from.relativize(file).toString()),
                  StandardCopyOption.REPLACE_EXISTING);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  /**
   * Maven entry point (exec:java in tests/pom.xml): {@code <chartDir> <outputParent>
   * <test|package|render-only|release>}.
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: ChartStaging <chartDir> <outputParent> <test|package|render-only|release>");
    }
    StagedChart staged = stage(Path.of(args[0]), Path.of(args[1]), Mode.parse(args[2]));
    System.out.println(
        staged.upstreamPresent()
            ? "[chart] staged "
                + staged.dir()
                + " with the upstream subchart from "
                + staged.upstreamArchive().get()
            : "[chart] WARNING staged "
                + staged.dir()
                + " WITHOUT the upstream subchart ("
                + staged.upstreamSkipReason()
                + "); the package is versioned *"
                + RENDER_ONLY_SUFFIX
                + " and must not be installed");
  }
}
