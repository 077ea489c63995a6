package io.bptemporal.systemtests.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Copies chart/ to a build directory in a form helm can render here.
 *
 * <p>Chart.yaml declares the upstream {@code temporal} 1.6.0 dependency, but chart/charts/ is only filled by
 * {@code helm dependency build}, which needs the network. Helm 3.21 refuses to template, lint strictly or package
 * a chart whose declared dependency is missing ("found in Chart.yaml, but missing in charts/ directory"), even
 * when the dependency's condition is false. So when the archive is absent the staged copy drops the dependency
 * entry: the umbrella's own templates render unchanged, upstream's objects are simply not there, and the
 * tests that assert on them are skipped with that reason.
 */
public final class ChartStaging {

    static final String UPSTREAM_ARCHIVE = "temporal-1.6.0.tgz";
    static final String RENDER_ONLY_SUFFIX = "-render-only";

    /** How to stage. */
    enum Mode {
        /** Tests: drop the missing dependency, keep the chart version (labels stay comparable with Chart.yaml). */
        TEST,
        /** Maven verify: like TEST, and mark a dependency-less package {@code <version>-render-only}. */
        RENDER_ONLY_IF_NEEDED,
        /** Release: the upstream archive must be present; nothing is changed. */
        RELEASE;

        static Mode parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "test" -> TEST;
                case "render-only-if-needed" -> RENDER_ONLY_IF_NEEDED;
                case "release" -> RELEASE;
                default -> throw new IllegalArgumentException("staging mode '" + value + "' is not one of: test, render-only-if-needed, release");
            };
        }
    }

    /** The staged chart and whether upstream's subchart is part of it. */
    record StagedChart(Path dir, boolean upstreamPresent) {
        String upstreamSkipReason() {
            return "upstream subchart absent: chart/charts/" + UPSTREAM_ARCHIVE
                    + " is only created by `helm dependency build chart` (needs https://go.temporal.io/helm-charts, unreachable here)";
        }
    }

    private ChartStaging() {
    }

    static boolean upstreamPresent(Path chartDir) {
        return Files.isRegularFile(chartDir.resolve("charts").resolve(UPSTREAM_ARCHIVE));
    }

    static StagedChart stage(Path chartDir, Path outputParent, Mode mode) {
        boolean upstream = upstreamPresent(chartDir);
        if (mode == Mode.RELEASE && !upstream) {
            throw new IllegalStateException("chart/charts/" + UPSTREAM_ARCHIVE + " is missing: a release packages the upstream subchart. "
                    + "Run `helm repo add temporal https://go.temporal.io/helm-charts && helm dependency build chart` first.");
        }
        Path target = outputParent.resolve("bp-temporal");
        deleteRecursively(target);
        copyRecursively(chartDir, target);
        if (!upstream) {
            rewriteChartYaml(target.resolve("Chart.yaml"), mode == Mode.RENDER_ONLY_IF_NEEDED);
            deleteRecursively(target.resolve("Chart.lock"));
        }
        return new StagedChart(target, upstream);
    }

    private static void rewriteChartYaml(Path chartYaml, boolean markRenderOnly) {
        YAMLMapper yaml = new YAMLMapper();
        try {
            ObjectNode chart = (ObjectNode) yaml.readTree(chartYaml.toFile());
            JsonNode deps = chart.path("dependencies");
            if (deps instanceof ArrayNode list) {
                for (int i = list.size() - 1; i >= 0; i--) {
                    if ("temporal".equals(list.get(i).path("name").asText())) {
                        list.remove(i);
                    }
                }
                if (list.isEmpty()) {
                    chart.remove("dependencies");
                }
            }
            if (markRenderOnly) {
                chart.put("version", chart.path("version").asText() + RENDER_ONLY_SUFFIX);
                ((ObjectNode) chart.withObjectProperty("annotations")).put("bp-temporal.io/render-only",
                        "upstream temporal subchart not included; not for installation");
            }
            yaml.writeValue(chartYaml.toFile(), chart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + chartYaml, e);
        }
    }

    private static void copyRecursively(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
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

    /** Maven entry point (exec:java in tests/pom.xml): {@code <chartDir> <outputParent> <mode>}. */
    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ChartStaging <chartDir> <outputParent> <test|render-only-if-needed|release>");
        }
        StagedChart staged = stage(Path.of(args[0]), Path.of(args[1]), Mode.parse(args[2]));
        System.out.println(staged.upstreamPresent()
                ? "[chart] staged " + staged.dir() + " with the upstream temporal subchart"
                : "[chart] staged " + staged.dir() + " WITHOUT the upstream subchart (" + staged.upstreamSkipReason()
                        + "); the package is versioned *" + RENDER_ONLY_SUFFIX + " and must not be installed");
    }
}
