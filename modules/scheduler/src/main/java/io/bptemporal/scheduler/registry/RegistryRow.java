package io.bptemporal.scheduler.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One row of {@code activity_definition} exactly as stored: nothing is checked yet (the table accepts rows
 * that break contract rules, so that the scheduler can say precisely what is wrong with each).
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
   * Where each part of the ActivityDefinition document lives in the table. The document nests policies, the
   * table has one column per policy so that an operator can flip one with a plain UPDATE.
   */
  private static final Map<String, String> POLICY_COLUMNS = Map.of(
      "overlap", "overlap_policy",
      "missed_run", "missed_run_policy",
      "catch_up_window", "catch_up_window",
      "pause_on_failure", "pause_on_failure");

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
      return POLICY_COLUMNS.getOrDefault(rest.substring(0, stop), "overlap_policy, missed_run_policy, catch_up_window, pause_on_failure");
    }
    return top;
  }
}
