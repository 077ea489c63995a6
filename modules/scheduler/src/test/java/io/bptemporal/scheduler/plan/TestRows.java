package io.bptemporal.scheduler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.registry.store.RegistryRow;
import java.time.Instant;

/** Registry rows for unit tests, from ActivityDefinition JSON with the usual defaults filled in. */
public final class TestRows {
  private TestRows() {}

  /**
   * A row of {@code namespace} "ns", workflow "Probe" on "probe-tq"; {@code extra} overrides or
   * adds fields.
   */
  public static RegistryRow row(String activityId, String extra) {
    ObjectNode doc =
        (ObjectNode)
            CanonicalJson.parse(
                """
        {"activity_id": "%s", "version": 1, "namespace": "ns", "workflow_type": "Probe", "task_queue": "probe-tq",
         "input": {}, "trigger": {"cron": ["0 2 * * *"]}, "owner": "team"}"""
                    .formatted(activityId));
    CanonicalJson.parse(extra).properties().forEach(e -> doc.set(e.getKey(), e.getValue()));
    JsonNode policies = doc.path("policies");
    return new RegistryRow(
        doc.path("activity_id").asText(),
        doc.path("version").asLong(),
        doc.path("schema_version").asText("1.0"),
        doc.path("description").asText(""),
        doc.path("namespace").asText(),
        doc.path("workflow_type").asText(),
        doc.path("task_queue").asText(),
        doc.path("input"),
        doc.path("trigger"),
        policies.path("overlap").asText("SKIP"),
        policies.path("missed_run").asText("CATCH_UP"),
        policies.path("catch_up_window").asText("1h"),
        policies.path("pause_on_failure").asBoolean(false),
        doc.path("enabled").asBoolean(true),
        doc.path("paused").asBoolean(false),
        doc.path("owner").asText(),
        doc.path("notes").asText(""),
        Instant.parse("2026-11-21T00:00:00Z"));
  }

  public static RegistryRow row(String activityId) {
    return row(activityId, "{}");
  }

  public static ActivityDefinition definition(RegistryRow row) {
    return ContractValidator.validateDefinition(row.toDefinitionDocument().toString())
        .orElseThrow();
  }

  public static RowVerdict.Valid valid(RegistryRow row) {
    return new RowVerdict.Valid(row, definition(row));
  }

  public static DesiredSchedule desired(RegistryRow row) {
    return DesiredSchedule.of(definition(row)).orElseThrow();
  }
}
