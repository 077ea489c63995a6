package io.bptemporal.scheduler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.activity.Trigger;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import java.util.Objects;
import java.util.Optional;

/**
 * The Temporal Schedule a valid, enabled registry row asks for.
 *
 * <p>Identity: schedule ID = activity_id, in the row's namespace; the action's workflow ID is the
 * activity_id too, and the server appends {@code -<nominal time>} (RFC 3339, UTC, seconds) for
 * every run it starts: {@code nightly-export-2026-11-21T00:00:00Z}.
 *
 * @param argument the one argument every started workflow gets: for {@code RunActivityWorkflow} a
 *     {@code RunActivityRequest} naming the activity (the run loads the row itself, and takes its
 *     scheduled time from the {@code TemporalScheduledStartTime} search attribute); for any other
 *     workflow the row's {@code input}
 * @param trigger the row's trigger ({@code event_types} are not part of a schedule)
 * @param temporal the Schedule's own policy values, see {@link MissedRunMapping}
 */
public record DesiredSchedule(
    String namespace,
    String scheduleId,
    String activityId,
    long definitionVersion,
    String workflowType,
    String taskQueue,
    JsonNode argument,
    Trigger trigger,
    io.bptemporal.contracts.activity.SchedulePolicies policies,
    TemporalPolicy temporal,
    boolean paused) {

  /** Key of the argument's hash in {@link #source()}. */
  public static final String ARGUMENT_HASH = "argument_sha256";

  public DesiredSchedule {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(argument, "argument");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(temporal, "temporal");
  }

  /**
   * The schedule of a valid definition; empty when its trigger has nothing time-based (events
   * only).
   */
  public static Optional<DesiredSchedule> of(ActivityDefinition definition) {
    Trigger trigger = definition.trigger();
    if (trigger.cron().isEmpty()
        && trigger.intervals().isEmpty()
        && trigger.calendars().isEmpty()) {
      return Optional.empty();
    }
    JsonNode argument =
        RunActivityWorkflow.WORKFLOW_TYPE.equals(definition.workflowType())
            ? JsonNodeFactory.instance.objectNode().put("activity_id", definition.activityId())
            : definition.input();
    return Optional.of(
        new DesiredSchedule(
            definition.namespace(),
            WorkflowIds.schedule(definition.activityId()),
            definition.activityId(),
            definition.version(),
            definition.workflowType(),
            definition.taskQueue(),
            argument,
            trigger,
            definition.policies(),
            MissedRunMapping.map(definition.policies()),
            definition.paused()));
  }

  /** The workflow ID in the action; the server appends {@code -<nominal time>} per run. */
  public String workflowIdBase() {
    return WorkflowIds.scheduleActionBase(activityId);
  }

  /**
   * Everything that makes up the schedule except its paused state, as canonical JSON: what the spec
   * hash is computed over and what the schedule carries (action memo {@code bp-schedule-source}) so
   * that a later plan can name the fields that changed. The argument itself is read back from the
   * action; the document holds its hash ({@value #ARGUMENT_HASH}), so a plan can tell a changed row
   * from an argument edited in Temporal.
   */
  public ObjectNode source() {
    ObjectNode source = JsonNodeFactory.instance.objectNode();
    source.put(ARGUMENT_HASH, CanonicalJson.sha256(argument));
    source.put("activity_id", activityId);
    source.put("workflow_type", workflowType);
    source.put("task_queue", taskQueue);
    ObjectNode triggerNode = CanonicalJson.mapper().valueToTree(trigger);
    triggerNode.remove("event_types");
    source.set("trigger", triggerNode);
    ObjectNode policiesNode = source.putObject("policies");
    policiesNode.put("overlap", policies.overlap().name());
    policiesNode.put("missed_run", policies.missedRun().name());
    policiesNode.put("catch_up_window", DurationText.format(policies.catchUpWindow()));
    policiesNode.put("pause_on_failure", policies.pauseOnFailure());
    ObjectNode temporalNode = source.putObject("temporal");
    temporalNode.put("overlap", temporal.overlap().name());
    temporalNode.put("catchup_window", DurationText.format(temporal.catchupWindow()));
    temporalNode.put("pause_on_failure", temporal.pauseOnFailure());
    return (ObjectNode) CanonicalJson.sorted(source);
  }

  /** {@code sha256:<hex>} over {@link #source()} and the argument. */
  public String specHash() {
    ObjectNode hashed = source();
    hashed.set("argument", argument);
    return CanonicalJson.sha256(hashed);
  }
}
