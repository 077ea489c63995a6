package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.validation.SchemaVersion;
import java.util.Objects;

/**
 * One row of the activity registry: what to run, where, and when. The scheduler turns each enabled
 * row into a Temporal Schedule. Schema: {@code activity-definition/v1.json}; parse with {@link
 * io.bptemporal.contracts.ContractValidator#validateDefinition(String)}.
 *
 * @param schemaVersion version of this contract, default {@code 1.0}, see {@link SchemaVersion}
 * @param activityId the row's identity, stable for its whole life, see {@link
 *     io.bptemporal.contracts.naming.IdentifierFormat#ACTIVITY_ID}
 * @param version revision of the row, at least 1, raised by every change
 * @param description one line saying what the activity does; default empty
 * @param namespace Temporal namespace the runs start in, e.g. {@code pipelines}
 * @param workflowType workflow type of each run, e.g. {@code RunActivityWorkflow}
 * @param taskQueue task queue of each run, e.g. {@code pipelines-tq}
 * @param input JSON object handed to every run; default {@code {}}
 * @param trigger when runs are due
 * @param policies overlap and missed-run behaviour; defaults as in {@link
 *     SchedulePolicies#DEFAULTS}
 * @param enabled {@code false} removes the schedule (the row is kept); default {@code true}
 * @param paused {@code true} keeps the schedule but starts nothing; default {@code false}
 * @param owner team or person to ask about the activity, e.g. {@code team-data}
 * @param notes free text for operators; default empty
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActivityDefinition(
    String schemaVersion,
    String activityId,
    long version,
    String description,
    String namespace,
    String workflowType,
    String taskQueue,
    ObjectNode input,
    Trigger trigger,
    SchedulePolicies policies,
    Boolean enabled,
    boolean paused,
    String owner,
    String notes) {

  public ActivityDefinition {
    schemaVersion = Objects.requireNonNullElse(schemaVersion, SchemaVersion.CURRENT.toString());
    Objects.requireNonNull(activityId, "activity_id");
    description = Objects.requireNonNullElse(description, "");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workflowType, "workflow_type");
    Objects.requireNonNull(taskQueue, "task_queue");
    input = input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
    Objects.requireNonNull(trigger, "trigger");
    policies = Objects.requireNonNullElse(policies, SchedulePolicies.DEFAULTS);
    enabled = Objects.requireNonNullElse(enabled, Boolean.TRUE);
    Objects.requireNonNull(owner, "owner");
    notes = Objects.requireNonNullElse(notes, "");
  }

  @Override
  public ObjectNode input() {
    return input.deepCopy();
  }
}
