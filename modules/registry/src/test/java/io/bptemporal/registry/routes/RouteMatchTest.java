package io.bptemporal.registry.routes;

import static io.bptemporal.registry.routes.RouteParserTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteMatchTest {
  private static final RouteTarget TARGET =
      new RouteTarget("invoice-sync", "pipelines", "RunActivityWorkflow", "activities-tq", true);

  private static final JsonNode ENVELOPE =
      json(
          """
          {"event_id": "e-1", "type": "order.placed", "source": "bp/shop",
           "occurred_at": "2026-11-21T10:00:00Z", "subject": "order/o-1001", "schema_version": "1.0",
           "payload": {"country": "DE", "total": 120, "lines": [{"sku": "A-1"}], "note": null,
                       "tags": ["x"], "nested": {"deep": {"value": "v"}}}}""");

  private static EventRoute route(String id, String type, String filters) {
    return route(id, type, filters, true, TARGET);
  }

  private static EventRoute route(
      String id, String type, String filters, boolean enabled, RouteTarget target) {
    return RouteParser.parse(
        new RouteRow(id, type, json(filters), "START", enabled, 1, Instant.EPOCH, target));
  }

  private static boolean matches(String filters) {
    return route("r", "order.placed", filters).matches(ENVELOPE);
  }

  @Test
  void equalsComparesScalarsAndNumbersByValue() {
    assertThat(matches("[{\"path\": \"$.payload.country\", \"equals\": \"DE\"}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.country\", \"equals\": \"de\"}]")).isFalse();
    assertThat(matches("[{\"path\": \"$.payload.total\", \"equals\": 120.0}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.total\", \"equals\": \"120\"}]")).isFalse();
    assertThat(matches("[{\"path\": \"$.payload.note\", \"equals\": null}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.missing\", \"equals\": null}]")).isFalse();
    assertThat(matches("[{\"path\": \"$.payload.tags\", \"equals\": \"x\"}]"))
        .as("an array equals no scalar")
        .isFalse();
    assertThat(matches("[{\"path\": \"$.payload.lines[0].sku\", \"equals\": \"A-1\"}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.nested.deep.value\", \"equals\": \"v\"}]"))
        .isTrue();
    assertThat(matches("[{\"path\": \"$.source\", \"equals\": \"bp/shop\"}]")).isTrue();
  }

  @Test
  void inPrefixAndExists() {
    assertThat(matches("[{\"path\": \"$.payload.country\", \"in\": [\"AT\", \"DE\"]}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.country\", \"in\": [\"AT\", \"CH\"]}]")).isFalse();
    assertThat(matches("[{\"path\": \"$.payload.total\", \"in\": [1, 120]}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.subject\", \"prefix\": \"order/\"}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.subject\", \"prefix\": \"invoice/\"}]")).isFalse();
    assertThat(matches("[{\"path\": \"$.payload.total\", \"prefix\": \"1\"}]"))
        .as("prefix applies to strings only")
        .isFalse();
    assertThat(matches("[{\"path\": \"$.payload.note\", \"exists\": true}]"))
        .as("null is a value")
        .isTrue();
    assertThat(matches("[{\"path\": \"$.trace_id\", \"exists\": false}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.lines[3]\", \"exists\": false}]")).isTrue();
    assertThat(matches("[{\"path\": \"$.payload.country.x\", \"exists\": false}]"))
        .as("below a string is nothing")
        .isTrue();
  }

  @Test
  void allConditionsMustHold() {
    assertThat(
            matches(
                "[{\"path\": \"$.payload.country\", \"equals\": \"DE\"},"
                    + " {\"path\": \"$.subject\", \"prefix\": \"order/\"}]"))
        .isTrue();
    assertThat(
            matches(
                "[{\"path\": \"$.payload.country\", \"equals\": \"DE\"},"
                    + " {\"path\": \"$.subject\", \"prefix\": \"invoice/\"}]"))
        .isFalse();
  }

  @Test
  void aTableMatchesActiveRoutesOfTheEnvelopesTypeInRouteIdOrder() {
    RouteTarget disabledActivity =
        new RouteTarget("off", "pipelines", "RunActivityWorkflow", "activities-tq", false);
    RouteTable table =
        new RouteTable(
            List.of(
                route("z-all-orders", "order.placed", "[]"),
                route(
                    "a-de",
                    "order.placed",
                    "[{\"path\": \"$.payload.country\", \"equals\": \"DE\"}]"),
                route(
                    "b-at",
                    "order.placed",
                    "[{\"path\": \"$.payload.country\", \"equals\": \"AT\"}]"),
                route("c-other-type", "order.shipped", "[]"),
                route("d-disabled", "order.placed", "[]", false, TARGET),
                route("e-activity-off", "order.placed", "[]", true, disabledActivity)),
            List.of());
    assertThat(table.match(ENVELOPE))
        .extracting(EventRoute::routeId)
        .containsExactly("a-de", "z-all-orders");
    assertThat(table.active()).hasSize(4);
    assertThat(RouteTable.EMPTY.match(ENVELOPE)).isEmpty();
  }
}
