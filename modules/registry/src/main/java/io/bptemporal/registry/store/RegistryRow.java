package io.bptemporal.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.json.ContractJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One row of {@code activity_definition} exactly as stored: nothing is checked yet (the table
 * accepts rows that break contract rules, so that the scheduler can say precisely what is wrong
 * with each).
 *
 * @param input the {@code input} column; any JSON value (the contract wants an object)
 * @param trigger the {@code trigger} column; any JSON value (the contract wants an object)
 */
public record RegistryRow(
    String activityId,
    long version,
    String schemaVersion,
    String description,
    String namespace,
    String workflowType,
    String taskQueue,
    JsonNode input,
    JsonNode trigger,
    String overlapPolicy,
    String missedRunPolicy,
    String catchUpWindow,
    boolean pauseOnFailure,
    boolean enabled,
    boolean paused,
    String owner,
    String notes,
    Instant updatedAt) {

  /**
   * Where each part of the ActivityDefinition document lives in the table. The document nests
   * policies, the table has one column per policy so that an operator can flip one with a plain
   * UPDATE.
   */
  private static final Map<String, String> POLICY_COLUMNS =
      Map.of(
          "overlap", "overlap_policy",
          "missed_run", "missed_run_policy",
          "catch_up_window", "catch_up_window",
          "pause_on_failure", "pause_on_failure");

  /**
   * Every column of {@code activity_definition}, in the order {@link #read} expects; callers add
   * the WHERE/ORDER.
   */
  static final String SELECT =
      "select activity_id, version, schema_version, description, namespace, workflow_type,"
          + " task_queue, input::text as input, trigger::text as trigger, overlap_policy, missed_run_policy,"
          + " catch_up_window, pause_on_failure, enabled, paused, owner, notes, updated_at from activity_definition";

  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  public RegistryRow {
    Objects.requireNonNull(activityId, "activityId");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(trigger, "trigger");
  }

  /** The row as an ActivityDefinition document (docs/contracts.md), for ContractValidator. */
  public ObjectNode toDefinitionDocument() {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    document.put("schema_version", schemaVersion);
    document.put("activity_id", activityId);
    document.put("version", version);
    document.put("description", description);
    document.put("namespace", namespace);
    document.put("workflow_type", workflowType);
    document.put("task_queue", taskQueue);
    document.set("input", input.deepCopy());
    document.set("trigger", trigger.deepCopy());
    ObjectNode policies = document.putObject("policies");
    policies.put("overlap", overlapPolicy);
    policies.put("missed_run", missedRunPolicy);
    policies.put("catch_up_window", catchUpWindow);
    policies.put("pause_on_failure", pauseOnFailure);
    document.put("enabled", enabled);
    document.put("paused", paused);
    document.put("owner", owner);
    document.put("notes", notes);
    return document;
  }

  /**
   * The table column holding the value at a document path such as {@code $.policies.overlap} or
   * {@code $.trigger.cron[1]}, so a message can tell the operator which column to fix.
   */
  public static String columnOf(String documentPath) {
    String path = documentPath.startsWith("$.") ? documentPath.substring(2) : "";
    if (path.isEmpty()) {
      return "(whole row)";
    }
    int end = 0;
    while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
      end++;
    }
    String top = path.substring(0, end);
    if (top.equals("policies")) {
      String rest = end < path.length() ? path.substring(end + 1) : "";
      int stop = 0;
      while (stop < rest.length() && rest.charAt(stop) != '.' && rest.charAt(stop) != '[') {
        stop++;
      }
      return POLICY_COLUMNS.getOrDefault(
          rest.substring(0, stop),
          "overlap_policy, missed_run_policy, catch_up_window, pause_on_failure");
    }
    return top;
  }

  /** The row at the cursor of a {@link #SELECT} result: the one mapping of columns to a row. */
  static RegistryRow read(ResultSet rs) throws SQLException {
    return new RegistryRow(
        rs.getString("activity_id"),
        rs.getLong("version"),
        rs.getString("schema_version"),
        rs.getString("description"),
        rs.getString("namespace"),
        rs.getString("workflow_type"),
        rs.getString("task_queue"),
        json(rs.getString("input")),
        json(rs.getString("trigger")),
        rs.getString("overlap_policy"),
        rs.getString("missed_run_policy"),
        rs.getString("catch_up_window"),
        rs.getBoolean("pause_on_failure"),
        rs.getBoolean("enabled"),
        rs.getBoolean("paused"),
        rs.getString("owner"),
        rs.getString("notes"),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static JsonNode json(String text) throws SQLException {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // jsonb always holds valid JSON; this would mean the column type was changed by hand.
      throw new SQLException("column holds text that is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
