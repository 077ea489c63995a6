package io.bptemporal.systemtests.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart as the suite renders it: staged once per JVM (see {@link ChartStaging}), rendered with
 * the pinned helm for Kubernetes 1.31, results cached per set of values so the many assertions
 * share a few helm runs.
 */
final class ChartUnderTest {

  static final String KUBE_VERSION = "1.31.0";
  static final String RELEASE = "bp-temporal";
  static final String NAMESPACE = "bp-temporal";
  static final String MONITORING_API = "monitoring.coreos.com/v1";

  private static volatile ChartUnderTest instance;

  private final Path repoRoot;
  private final HelmBinary helm;
  private final ChartStaging.StagedChart staged;
  private final Path scratch;
  private final Map<RenderRequest, HelmBinary.Run> cache = new ConcurrentHashMap<>();
  private final Map<RenderRequest, HelmBinary.Run> notesCache = new ConcurrentHashMap<>();

  private ChartUnderTest(
      Path repoRoot, HelmBinary helm, ChartStaging.StagedChart staged, Path scratch) {
    this.repoRoot = repoRoot;
    this.helm = helm;
    this.staged = staged;
    this.scratch = scratch;
  }

  static ChartUnderTest get() {
    ChartUnderTest local = instance;
    if (local == null) {
      synchronized (ChartUnderTest.class) {
        local = instance;
        if (local == null) {
          Path root = findRepoRoot();
          Path target = root.resolve("tests").resolve("target").resolve("chart-under-test");
          HelmBinary helm = HelmBinary.fromToolsDir();
          ChartStaging.StagedChart staged =
              ChartStaging.stage(root.resolve("chart"), target, ChartStaging.Mode.TEST);
          try {
            Files.createDirectories(target.resolve("values"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          local = new ChartUnderTest(root, helm, staged, target.resolve("values"));
          instance = local;
        }
      }
    }
    return local;
  }

  private static Path findRepoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("chart").resolve("Chart.yaml"))
          && Files.isRegularFile(dir.resolve("blueprint.yaml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no directory above "
            + Path.of("").toAbsolutePath()
            + " holds chart/Chart.yaml and blueprint.yaml");
  }

  Path repoRoot() {
    return repoRoot;
  }

  /** chart/ in the repository (not the staged copy): values, scenarios, overlays, files. */
  Path chartSource() {
    return repoRoot.resolve("chart");
  }

  ChartStaging.StagedChart staged() {
    return staged;
  }

  HelmBinary helm() {
    return helm;
  }

  List<Path> scenarios() {
    return listYaml(chartSource().resolve("ci"));
  }

  List<Path> overlays() {
    return listYaml(chartSource().resolve("overlays"));
  }

  /**
   * The base scenario an overlay declares on its first line ({@code # stacks-on:
   * ci/NN-name-values.yaml}).
   */
  Path overlayBase(Path overlay) {
    try (Stream<String> lines = Files.lines(overlay)) {
      String first = lines.findFirst().orElse("");
      String prefix = "# stacks-on: ";
      if (!first.startsWith(prefix)) {
        throw new IllegalStateException(
            overlay + " must start with '" + prefix + "ci/<scenario>-values.yaml'");
      }
      return chartSource().resolve(first.substring(prefix.length()).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> listYaml(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes an inline values document (a test's bad or special values) to a file helm can read. */
  Path valuesFile(String name, String yaml) {
    Path file = scratch.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  HelmBinary.Run template(RenderRequest request) {
    return cache.computeIfAbsent(request, r -> helm.run(templateArgs(r)));
  }

  /** Renders and fails the calling test with helm's output when helm fails. */
  RenderedManifest render(RenderRequest request) {
    HelmBinary.Run run = template(request);
    if (!run.succeeded()) {
      throw new AssertionError("helm template failed:\n" + run.describe());
    }
    return RenderedManifest.parse(run.stdout());
  }

  /**
   * NOTES.txt rendered for these values, as {@code helm install} would print it. {@code helm
   * template} does not render notes and {@code helm install --dry-run=client} still wants a
   * reachable cluster, so a second staged copy carries one extra template that renders the notes'
   * text (as a named template, in the same context) into a ConfigMap, and only that template is
   * shown.
   */
  String notes(RenderRequest request) {
    HelmBinary.Run run =
        notesCache.computeIfAbsent(
            request,
            r -> {
              List<String> args =
                  new ArrayList<>(
                      List.of(
                          "template",
                          RELEASE,
                          notesProbe().toString(),
                          "--namespace",
                          NAMESPACE,
                          "--kube-version",
                          KUBE_VERSION,
                          "--show-only",
                          "templates/" + NOTES_PROBE));
              addValues(args, r);
              return helm.run(args);
            });
    if (!run.succeeded()) {
      throw new AssertionError("rendering NOTES.txt failed:\n" + run.describe());
    }
    return RenderedManifest.parse(run.stdout())
        .get("ConfigMap", "notes-under-test")
        .at("/data/notes")
        .asText();
  }

  private static final String NOTES_PROBE = "zz-notes-under-test.yaml";
  private volatile Path notesProbe;

  private synchronized Path notesProbe() {
    if (notesProbe == null) {
      Path dir = repoRoot.resolve("tests/target/chart-notes-under-test");
      ChartStaging.StagedChart copy =
          ChartStaging.stage(chartSource(), dir, ChartStaging.Mode.TEST);
      try {
        String notes = Files.readString(copy.dir().resolve("templates/NOTES.txt"));
        Files.writeString(
            copy.dir().resolve("templates").resolve(NOTES_PROBE),
            """
                        {{- define "bp-temporal-under-test.notes" }}
                        %s
                        {{- end }}
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: notes-under-test
                        data:
                          notes: {{ include "bp-temporal-under-test.notes" . | quote }}
                        """
                .formatted(notes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      notesProbe = copy.dir();
    }
    return notesProbe;
  }

  HelmBinary.Run lintStrict(List<Path> valuesFiles) {
    List<String> args =
        new ArrayList<>(
            List.of("lint", "--strict", "--kube-version", KUBE_VERSION, staged.dir().toString()));
    for (Path values : valuesFiles) {
      args.add("-f");
      args.add(values.toString());
    }
    return helm.run(args);
  }

  private List<String> templateArgs(RenderRequest request) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "template",
                RELEASE,
                staged.dir().toString(),
                "--namespace",
                NAMESPACE,
                "--kube-version",
                KUBE_VERSION));
    if (request.monitoringApi()) {
      args.add("--api-versions");
      args.add(MONITORING_API);
    }
    addValues(args, request);
    return args;
  }

  private static void addValues(List<String> args, RenderRequest request) {
    for (Path values : request.valuesFiles()) {
      args.add("-f");
      args.add(values.toString());
    }
    for (String set : request.sets()) {
      args.add("--set");
      args.add(set);
    }
  }
}
