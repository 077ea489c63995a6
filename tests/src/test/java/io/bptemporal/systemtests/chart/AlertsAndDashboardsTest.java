package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bptemporal.systemtests.chart.CustomResources.PrometheusRule;
import io.bptemporal.systemtests.chart.CustomResources.Rule;
import io.bptemporal.systemtests.metrics.MetricsCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Alerts and dashboards reference only metrics the platform's catalog promises
 * (docs/operations/metrics-catalog.yaml), and every alert links a runbook page that exists.
 */
class AlertsAndDashboardsTest {

  private static final String RUNBOOKS = "docs/operations/runbooks/";

  private static RenderedManifest fullObservability() {
    return RenderCases.render(RenderCases.scenario("02-full-observability-values.yaml"));
  }

  private static List<Rule> rules() {
    PrometheusRule rule =
        KubernetesTypeCheck.bind(
            fullObservability().ofKind("PrometheusRule").getFirst(), PrometheusRule.class);
    return rule.spec().groups().stream().flatMap(g -> g.rules().stream()).toList();
  }

  /** Every expression of every dashboard panel, keyed by "dashboard file: panel title". */
  private static Map<String, String> dashboardExpressions() throws IOException {
    Map<String, String> expressions = new TreeMap<>();
    JsonNode data =
        fullObservability().get("ConfigMap", "bp-temporal-dashboards").body().path("data");
    ObjectMapper json = new ObjectMapper();
    for (var it = data.fields(); it.hasNext(); ) {
      var file = it.next();
      JsonNode dashboard = json.readTree(file.getValue().asText());
      collectTargets(dashboard.path("panels"), file.getKey(), expressions);
    }
    return expressions;
  }

  private static void collectTargets(JsonNode panels, String file, Map<String, String> out) {
    for (JsonNode panel : panels) {
      int i = 0;
      for (JsonNode target : panel.path("targets")) {
        out.put(
            file + ": " + panel.path("title").asText() + " #" + i++, target.path("expr").asText());
      }
      collectTargets(panel.path("panels"), file, out);
    }
  }

  @Test
  void everyAlertFileHoldsOneAlertNamedLikeTheFile() throws IOException {
    Path dir = RenderCases.chart().chartSource().resolve("files/alerts");
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    assertThat(files).isNotEmpty();
    YAMLMapper yaml = new YAMLMapper();
    for (Path file : files) {
      JsonNode rule = yaml.readTree(file.toFile());
      assertThat(rule.isObject()).as(file + " holds one rule mapping").isTrue();
      assertThat(rule.path("alert").asText() + ".yaml")
          .as(file.toString())
          .isEqualTo(file.getFileName().toString());
    }
    assertThat(rules()).hasSize(files.size());
  }

  @Test
  void everyAlertLinksItsRunbookAndTheRunbookExists() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Rule rule : rules()) {
      String url = rule.annotations().getOrDefault("runbook_url", "");
      String page = RUNBOOKS + rule.alert() + ".md";
      if (!url.endsWith("/" + page)) {
        problems.add(rule.alert() + ": runbook_url " + url + " does not point to " + page);
      }
      Path file = RenderCases.chart().repoRoot().resolve(page);
      if (!Files.isRegularFile(file)) {
        problems.add(rule.alert() + ": " + page + " does not exist");
      } else {
        String text = Files.readString(file);
        for (String section :
            List.of("# " + rule.alert(), "## Meaning", "## Diagnosis", "## Mitigation")) {
          if (!text.contains(section)) {
            problems.add(page + " lacks '" + section + "'");
          }
        }
      }
      if (!List.of("warning", "critical").contains(rule.labels().getOrDefault("severity", ""))) {
        problems.add(rule.alert() + ": severity must be warning or critical");
      }
      if (rule.annotations().getOrDefault("summary", "").isBlank()) {
        problems.add(rule.alert() + ": no summary");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void alertsAndDashboardsUseOnlyCatalogMetrics() throws IOException {
    Path catalogFile =
        RenderCases.chart().repoRoot().resolve("docs/operations/metrics-catalog.yaml");
    assertThat(catalogFile)
        .as(
            "the platform's metrics catalog (checked against the modules' meters by PlatformMetricsCatalogTest)")
        .isRegularFile();
    MetricsCatalog catalog = MetricsCatalog.load(catalogFile);
    Map<String, String> expressions = new TreeMap<>();
    rules().forEach(r -> expressions.put("alert " + r.alert(), r.expr()));
    expressions.putAll(dashboardExpressions());
    assertThat(expressions).hasSizeGreaterThan(10);
    List<String> unknown = new ArrayList<>();
    int names = 0;
    for (Map.Entry<String, String> e : expressions.entrySet()) {
      for (String name : PromQlMetricNames.in(e.getValue())) {
        names++;
        if (catalog.coverageOf(name).isEmpty()) {
          unknown.add(e.getKey() + ": " + name);
        }
      }
    }
    assertThat(names).isPositive();
    assertThat(unknown).as("metric names not in " + catalogFile).isEmpty();
  }

  /** Labels the Prometheus Operator attaches to every scraped series (target labels). */
  private static final java.util.Set<String> TARGET_LABELS =
      java.util.Set.of("pod", "namespace", "instance", "job", "container", "endpoint", "service");

  @Test
  void alertsAndDashboardsGroupAndFilterOnlyByLabelsTheirMetricsCarry() throws IOException {
    MetricsCatalog catalog =
        MetricsCatalog.load(
            RenderCases.chart().repoRoot().resolve("docs/operations/metrics-catalog.yaml"));
    Map<String, String> expressions = new TreeMap<>();
    rules().forEach(r -> expressions.put("alert " + r.alert(), r.expr()));
    expressions.putAll(dashboardExpressions());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : expressions.entrySet()) {
      java.util.Set<String> available = new java.util.TreeSet<>(TARGET_LABELS);
      PromQlMetricNames.in(e.getValue()).forEach(name -> available.addAll(catalog.labelsOf(name)));
      for (String label : PromQlMetricNames.labelsIn(e.getValue())) {
        if (!available.contains(label)) {
          problems.add(
              e.getKey()
                  + ": label "
                  + label
                  + " is on none of its metrics (catalog labels + target labels: "
                  + available
                  + ")");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void dashboardsAreValidGrafanaJsonWithAStableUid() throws IOException {
    JsonNode data =
        fullObservability().get("ConfigMap", "bp-temporal-dashboards").body().path("data");
    assertThat(data.size()).isPositive();
    ObjectMapper json = new ObjectMapper();
    for (var it = data.fields(); it.hasNext(); ) {
      var file = it.next();
      JsonNode dashboard = json.readTree(file.getValue().asText());
      assertThat(dashboard.path("uid").asText()).as(file.getKey()).startsWith("bp-temporal-");
      assertThat(dashboard.path("panels").size()).as(file.getKey()).isPositive();
    }
    assertThat(
            fullObservability()
                .get("ConfigMap", "bp-temporal-dashboards")
                .at("/metadata/labels/grafana_dashboard")
                .asText())
        .isEqualTo("1");
  }
}
