package io.bptemporal.systemtests.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The catalog's shape: other tooling (the chart's dashboard/alert check) reads it, so it must stay
 * regular.
 */
class MetricsCatalogTest {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private final MetricsCatalog catalog = MetricsCatalog.load();

  @Test
  void topLevelIsOnlyTheMetricsList() {
    List<String> keys = new ArrayList<>();
    catalog.root().fieldNames().forEachRemaining(keys::add);

    assertThat(keys).containsExactly("metrics");
    assertThat(catalog.root().get("metrics").isArray()).isTrue();
    assertThat(catalog.entries()).hasSizeGreaterThan(40);
  }

  @Test
  void everyEntryHasExactlyTheFiveFieldsWithAcceptedValues() {
    for (var node : catalog.root().get("metrics")) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      String name = node.path("name").asText();
      assertThat(keys)
          .as("fields of %s", name)
          .containsExactly("name", "type", "source", "labels", "description");
      assertThat(name).as("name").matches(NAME);
      assertThat(node.get("type").asText())
          .as("type of %s", name)
          .isIn("counter", "gauge", "histogram", "summary");
      assertThat(node.get("source").asText())
          .as("source of %s", name)
          .isIn("sdk", "server", "platform", "jvm");
      assertThat(node.get("labels").isArray()).as("labels of %s is a list", name).isTrue();
      node.get("labels")
          .forEach(l -> assertThat(l.asText()).as("label of %s", name).matches(LABEL));
      assertThat(node.get("description").asText()).as("description of %s", name).isNotBlank();
    }
  }

  @Test
  void namesAreUnique() {
    Set<String> seen = new HashSet<>();
    List<String> duplicates =
        catalog.entries().stream()
            .map(MetricsCatalog.Entry::name)
            .filter(n -> !seen.add(n))
            .toList();

    assertThat(duplicates).isEmpty();
  }

  @Test
  void javaProcessNamesFollowPrometheusConventions() {
    for (MetricsCatalog.Entry e : catalog.from("sdk", "platform", "jvm")) {
      if (e.type().equals("counter")) {
        assertThat(e.name()).as("counter %s", e.name()).endsWith("_total");
      }
      if (e.type().equals("histogram") || e.type().equals("summary")) {
        assertThat(e.name()).as("timer %s", e.name()).endsWith("_seconds");
      }
      assertThat(e.labels()).as("labels of %s", e.name()).contains("service");
    }
  }

  @Test
  void platformNamesCarryThePlatformPrefix() {
    assertThat(catalog.from("platform"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.name()).as("platform metric").startsWith("bp_"));
  }
}
