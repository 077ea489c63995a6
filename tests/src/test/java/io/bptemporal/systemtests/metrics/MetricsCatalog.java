package io.bptemporal.systemtests.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * docs/operations/metrics-catalog.yaml: the metric names the platform promises ({@code metrics:
 * [{name, type, source, labels, description}]}). Alerts and dashboards may use only these (chart's
 * AlertsAndDashboardsTest); the meters the modules declare must be these
 * (PlatformMetricsCatalogTest); its shape is asserted by MetricsCatalogTest.
 */
public record MetricsCatalog(
    JsonNode root,
    List<Entry> entries,
    Map<String, String> typeByName,
    Map<String, Set<String>> labelsByName) {

  /** The catalog file, from the tests module's directory (where Maven runs the tests). */
  public static final Path FILE = Path.of("../docs/operations/metrics-catalog.yaml");

  /** One entry as written, labels in catalog order. */
  public record Entry(
      String name, String type, String source, List<String> labels, String description) {}

  public static MetricsCatalog load() {
    return load(FILE);
  }

  public static MetricsCatalog load(Path file) {
    try {
      JsonNode root = new YAMLMapper().readTree(file.toFile());
      Map<String, String> types = new LinkedHashMap<>();
      Map<String, Set<String>> labels = new LinkedHashMap<>();
      List<Entry> entries = new ArrayList<>();
      for (JsonNode metric : root.path("metrics")) {
        String name = metric.path("name").asText("");
        if (name.isEmpty()) {
          throw new IllegalStateException(file + ": an entry under metrics has no name: " + metric);
        }
        types.put(name, metric.path("type").asText("").toLowerCase(Locale.ROOT));
        Set<String> names = new TreeSet<>();
        metric.path("labels").forEach(l -> names.add(l.asText()));
        labels.put(name, Set.copyOf(names));
        List<String> listed = new ArrayList<>();
        metric.path("labels").forEach(l -> listed.add(l.asText()));
        entries.add(
            new Entry(
                name,
                metric.path("type").asText(),
                metric.path("source").asText(),
                List.copyOf(listed),
                metric.path("description").asText()));
      }
      if (types.isEmpty()) {
        throw new IllegalStateException(file + " lists no metrics under 'metrics:'");
      }
      return new MetricsCatalog(root, List.copyOf(entries), Map.copyOf(types), Map.copyOf(labels));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Whether a series name is covered: listed as is, a {@code _bucket/_count/_sum} series of a
   * listed histogram (or {@code _count/_sum} of a summary), or the {@code _total} series of a
   * counter listed by its family name.
   */
  public Optional<String> coverageOf(String series) {
    if (typeByName.containsKey(series)) {
      return Optional.of(series);
    }
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (series.endsWith(suffix)) {
        String base = series.substring(0, series.length() - suffix.length());
        String type = typeByName.get(base);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return Optional.of(base);
        }
      }
    }
    if (series.endsWith("_total")) {
      String base = series.substring(0, series.length() - "_total".length());
      if ("counter".equals(typeByName.get(base))) {
        return Optional.of(base);
      }
    }
    return Optional.empty();
  }

  /** Labels a covered series carries: the family's labels, plus {@code le} on histogram buckets. */
  public Set<String> labelsOf(String series) {
    Set<String> labels = new TreeSet<>();
    coverageOf(series)
        .ifPresent(
            family -> {
              labels.addAll(labelsByName.getOrDefault(family, Set.of()));
              if (series.endsWith("_bucket")) {
                labels.add("le");
              }
            });
    return labels;
  }

  /**
   * The entries of the given sources ({@code sdk}, {@code server}, {@code platform}, {@code jvm}).
   */
  public List<Entry> from(String... sources) {
    List<String> wanted = List.of(sources);
    return entries.stream().filter(e -> wanted.contains(e.source())).toList();
  }
}
