package io.bptemporal.registry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RouteTarget TARGET =
      new RouteTarget("invoice-sync", "pipelines", "RunActivityWorkflow", "activities-tq", true);

  static RouteRow row(String filters) {
    return row("r1", "order.placed", filters, "START", TARGET);
  }

  static RouteRow row(
      String routeId, String eventType, String filters, String delivery, RouteTarget target) {
    try {
      return new RouteRow(
          routeId,
          eventType,
          JSON.readTree(filters),
          delivery,
          true,
          3,
          Instant.parse("2026-01-01T00:00:00Z"),
          target);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void readsAValidRouteWithEveryOperator() {
    EventRoute route =
        RouteParser.parse(
            row(
                """
                [{"path": "$.payload.country", "equals": "DE"},
                 {"path": "$.payload.total", "in": [1, 2.5, "x", true, null]},
                 {"path": "$.subject", "prefix": "order/"},
                 {"path": "$.payload.lines[0].sku", "exists": true}]"""));
    assertThat(route.routeId()).isEqualTo("r1");
    assertThat(route.delivery()).isEqualTo(Delivery.START);
    assertThat(route.version()).isEqualTo(3);
    assertThat(route.filters())
        .hasExactlyElementsOfTypes(
            Condition.Equals.class,
            Condition.In.class,
            Condition.Prefix.class,
            Condition.Exists.class);
    assertThat(route.filters().get(3).path().text()).isEqualTo("$.payload.lines[0].sku");
  }

  @Test
  void emptyFiltersAndSignalWithStartAreAccepted() {
    EventRoute route =
        RouteParser.parse(row("r2", "order.placed", "[]", "SIGNAL_WITH_START", TARGET));
    assertThat(route.filters()).isEmpty();
    assertThat(route.delivery()).isEqualTo(Delivery.SIGNAL_WITH_START);
  }

  /** Each malformed route: the row, the path of the problem, and words the problem must contain. */
  static Stream<Arguments> malformed() {
    RouteTarget pipeline =
        new RouteTarget("nightly", "pipelines", "DataPipelineWorkflow", "pipelines-tq", true);
    RouteTarget badNamespace =
        new RouteTarget("a1", "Bad_NS", "RunActivityWorkflow", "activities-tq", true);
    RouteTarget badQueue =
        new RouteTarget("a1", "pipelines", "RunActivityWorkflow", "Queue With Spaces", true);
    RouteTarget badActivity =
        new RouteTarget("Not An Id", "pipelines", "RunActivityWorkflow", "activities-tq", true);
    return Stream.of(
        Arguments.of(
            "route id with upper case",
            row("R-1", "order.placed", "[]", "START", TARGET),
            "$.route_id",
            "accepted: 1-100 characters"),
        Arguments.of(
            "empty route id", row("", "order.placed", "[]", "START", TARGET), "$.route_id", "\"\""),
        Arguments.of(
            "event type with one word",
            row("r1", "placed", "[]", "START", TARGET),
            "$.event_type",
            "at least two dot-separated"),
        Arguments.of(
            "event type with a wildcard",
            row("r1", "order.*", "[]", "START", TARGET),
            "$.event_type",
            "\"order.*\""),
        Arguments.of(
            "unknown delivery",
            row("r1", "order.placed", "[]", "SIGNAL", TARGET),
            "$.delivery",
            "accepted: START or SIGNAL_WITH_START"),
        Arguments.of(
            "delivery in lower case",
            row("r1", "order.placed", "[]", "start", TARGET),
            "$.delivery",
            "\"start\""),
        Arguments.of(
            "activity of another workflow type",
            row("r1", "order.placed", "[]", "START", pipeline),
            "$.activity_id",
            "workflow_type is \"DataPipelineWorkflow\""),
        Arguments.of(
            "activity with a broken namespace",
            row("r1", "order.placed", "[]", "START", badNamespace),
            "$.activity_id",
            "namespace \"Bad_NS\""),
        Arguments.of(
            "activity with a broken task queue",
            row("r1", "order.placed", "[]", "START", badQueue),
            "$.activity_id",
            "task_queue \"Queue With Spaces\""),
        Arguments.of(
            "activity id that cannot name a run",
            row("r1", "order.placed", "[]", "START", badActivity),
            "$.activity_id",
            "cannot name a run"),
        Arguments.of("filters an object", row("{\"path\": \"$.type\"}"), "$.filters", "JSON array"),
        Arguments.of("filters a string", row("\"$.type == x\""), "$.filters", "JSON array"),
        Arguments.of(
            "too many conditions",
            row(
                "["
                    + String.join(
                        ",",
                        java.util.Collections.nCopies(
                            33, "{\"path\": \"$.type\", \"exists\": true}"))
                    + "]"),
            "$.filters",
            "has 33 conditions"),
        Arguments.of("condition a string", row("[\"$.type\"]"), "$.filters[0]", "an object"),
        Arguments.of(
            "condition without path",
            row("[{\"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "is missing"),
        Arguments.of(
            "path a number",
            row("[{\"path\": 7, \"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "is 7"),
        Arguments.of(
            "path without $.",
            row("[{\"path\": \"payload.country\", \"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "does not start with '$.'"),
        Arguments.of(
            "path with an empty name",
            row("[{\"path\": \"$.payload..country\", \"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "empty name at position 2"),
        Arguments.of(
            "path with a space",
            row("[{\"path\": \"$.payload.home country\", \"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "'home country'"),
        Arguments.of(
            "path with a bad index",
            row("[{\"path\": \"$.payload.lines[x]\", \"exists\": true}]"),
            "$.filters[0].path",
            "'lines[x]'"),
        Arguments.of(
            "path with an unknown root",
            row("[{\"path\": \"$.data.country\", \"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "'data', which is not an envelope field"),
        Arguments.of(
            "path below a string field",
            row("[{\"path\": \"$.subject.id\", \"equals\": \"DE\"}]"),
            "$.filters[0].path",
            "only $.payload has fields below it"),
        Arguments.of(
            "path too long",
            row("[{\"path\": \"$.payload." + "a".repeat(600) + "\", \"exists\": true}]"),
            "$.filters[0].path",
            "characters long"),
        Arguments.of(
            "path too deep",
            row("[{\"path\": \"$.payload" + ".a".repeat(40) + "\", \"exists\": true}]"),
            "$.filters[0].path",
            "steps deep"),
        Arguments.of(
            "no operator", row("[{\"path\": \"$.type\"}]"), "$.filters[0]", "has no operator"),
        Arguments.of(
            "two operators",
            row("[{\"path\": \"$.type\", \"equals\": \"a.b\", \"prefix\": \"a\"}]"),
            "$.filters[0]",
            "has 2 operators (equals, prefix)"),
        Arguments.of(
            "unknown operator",
            row("[{\"path\": \"$.type\", \"equals\": \"a.b\", \"matches\": \"a.*\"}]"),
            "$.filters[0].matches",
            "is not a known field"),
        Arguments.of(
            "equals an object",
            row("[{\"path\": \"$.payload.x\", \"equals\": {\"a\": 1}}]"),
            "$.filters[0].equals",
            "string, number, boolean or null"),
        Arguments.of(
            "in not an array",
            row("[{\"path\": \"$.payload.x\", \"in\": \"DE\"}]"),
            "$.filters[0].in",
            "non-empty array"),
        Arguments.of(
            "in empty",
            row("[{\"path\": \"$.payload.x\", \"in\": []}]"),
            "$.filters[0].in",
            "is empty"),
        Arguments.of(
            "in with an array element",
            row("[{\"path\": \"$.payload.x\", \"in\": [\"DE\", [\"AT\"]]}]"),
            "$.filters[0].in[1]",
            "is [\"AT\"]"),
        Arguments.of(
            "prefix a number",
            row("[{\"path\": \"$.subject\", \"prefix\": 4}]"),
            "$.filters[0].prefix",
            "non-empty string"),
        Arguments.of(
            "prefix empty",
            row("[{\"path\": \"$.subject\", \"prefix\": \"\"}]"),
            "$.filters[0].prefix",
            "is \"\""),
        Arguments.of(
            "exists a string",
            row("[{\"path\": \"$.subject\", \"exists\": \"yes\"}]"),
            "$.filters[0].exists",
            "true (the path must lead to a value) or false"),
        Arguments.of(
            "a problem in the third condition",
            row(
                "[{\"path\": \"$.type\", \"exists\": true}, {\"path\": \"$.subject\", \"prefix\": \"o/\"},"
                    + " {\"path\": \"$.payload\", \"exists\": 1}]"),
            "$.filters[2].exists",
            "is 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesAMalformedRouteNamingItsIdAndThePathOfTheProblem(
      String kind, RouteRow row, String path, String words) {
    assertThatThrownBy(() -> RouteParser.parse(row))
        .isInstanceOfSatisfying(
            InvalidRouteException.class,
            e -> {
              assertThat(e.problems())
                  .as(kind)
                  .anySatisfy(
                      p -> {
                        assertThat(p.routeId()).isEqualTo(row.routeId());
                        assertThat(p.path()).isEqualTo(path);
                        assertThat(p.detail()).contains(words).contains("accepted: ");
                        assertThat(p.toString())
                            .startsWith("route '" + row.routeId() + "': " + path + ": ");
                      });
            });
  }

  @Test
  void reportsEveryProblemOfARouteAtOnce() {
    RouteRow row =
        row(
            "r1",
            "placed",
            "[{\"path\": \"type\", \"equals\": \"x\"}, 5, {\"path\": \"$.subject\"}]",
            "LATER",
            TARGET);
    assertThatThrownBy(() -> RouteParser.parse(row))
        .isInstanceOfSatisfying(
            InvalidRouteException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RouteProblem::path)
                    .containsExactly(
                        "$.event_type",
                        "$.delivery",
                        "$.filters[0].path",
                        "$.filters[1]",
                        "$.filters[2]"));
  }

  @Test
  void aTableKeepsTheValidRoutesAndReportsTheBrokenOnes() {
    RouteTable table =
        RouteTable.of(
            List.of(
                row("good", "order.placed", "[]", "START", TARGET),
                row(
                    "bad",
                    "order.placed",
                    "[{\"path\": \"x\", \"exists\": true}]",
                    "START",
                    TARGET),
                row("worse", "order", "{}", "NOPE", TARGET)));
    assertThat(table.routes()).extracting(EventRoute::routeId).containsExactly("good");
    assertThat(table.brokenRoutes()).isEqualTo(2);
    assertThat(table.broken()).extracting(RouteProblem::routeId).containsOnly("bad", "worse");
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
