package io.bptemporal.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/operations/metrics-catalog.yaml as records; the shape itself is asserted by
 * MetricsCatalogTest.
 */
record MetricsCatalog(JsonNode root, List<Entry> entries) {
  static final Path FILE = Path.of("../../docs/operations/metrics-catalog.yaml");

  record Entry(String name, String type, String source, List<String> labels, String description) {}

  static MetricsCatalog load() {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(FILE));
      List<Entry> entries = new ArrayList<>();
      for (JsonNode m : root.path("metrics")) {
        List<String> labels = new ArrayList<>();
        m.path("labels").forEach(l -> labels.add(l.asText()));
        entries.add(
            new Entry(
                m.path("name").asText(),
                m.path("type").asText(),
                m.path("source").asText(),
                List.copyOf(labels),
                m.path("description").asText()));
      }
      return new MetricsCatalog(root, List.copyOf(entries));
    } catch (IOException e) {
      throw new AssertionError(
          "cannot read " + FILE.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
    }
  }

  List<Entry> from(String... sources) {
    List<String> wanted = List.of(sources);
    return entries.stream().filter(e -> wanted.contains(e.source())).toList();
  }

  /**
   * Entries the exposition lacks, has with another type, or whose series miss a catalogued label;
   * one line per problem, empty when the exposition matches.
   */
  static List<String> mismatches(List<Entry> entries, PrometheusText exposed) {
    List<String> problems = new ArrayList<>();
    for (Entry entry : entries) {
      PrometheusText.Family family = exposed.families().get(entry.name());
      if (family == null || family.series().isEmpty()) {
        problems.add(entry.name() + " (" + entry.source() + "): not exposed");
        continue;
      }
      if (!family.type().equals(entry.type())) {
        problems.add(
            entry.name() + ": catalogued as " + entry.type() + ", exposed as " + family.type());
      }
      List<String> missing =
          entry.labels().stream().filter(l -> !family.labelsOnEverySeries().contains(l)).toList();
      if (!missing.isEmpty()) {
        problems.add(
            entry.name()
                + ": labels "
                + missing
                + " not on every series; every series has "
                + family.labelsOnEverySeries());
      }
    }
    return problems;
  }
}
