package io.bptemporal.scheduler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The fields in which a described schedule differs from the desired one. Two sources, merged by
 * field: the registry side the schedule was last written from (its {@code bp-schedule-source} memo)
 * against the row now - this names trigger changes in the row's own terms - and the values Temporal
 * reports itself (workflow type, task queue, argument, policies, paused, notes) against the row -
 * this catches changes made outside the registry.
 */
public final class FieldDiff {
  private FieldDiff() {}

  /** Every changed field except {@code paused}, which the caller decides on separately. */
  public static List<FieldChange> between(
      DesiredSchedule desired, DescribedSchedule actual, List<String> reasons) {
    Map<String, FieldChange> changes = new LinkedHashMap<>();
    if (actual.source().isPresent()) {
      Map<String, JsonNode> before = flatten(actual.source().get());
      Map<String, JsonNode> after = flatten(desired.source());
      TreeSet<String> paths = new TreeSet<>(before.keySet());
      paths.addAll(after.keySet());
      paths.remove(DesiredSchedule.ARGUMENT_HASH);
      for (String path : paths) {
        JsonNode from = before.get(path);
        JsonNode to = after.get(path);
        if (from == null
            || to == null
            || !CanonicalJson.text(from).equals(CanonicalJson.text(to))) {
          changes.put(path, new FieldChange(path, render(from), render(to), false));
        }
      }
    }
    direct(changes, "workflow_type", text(actual.workflowType()), text(desired.workflowType()));
    direct(changes, "task_queue", text(actual.taskQueue()), text(desired.taskQueue()));
    direct(changes, "workflow_id", text(actual.workflowIdBase()), text(desired.workflowIdBase()));
    String argumentPath =
        RunActivityWorkflow.WORKFLOW_TYPE.equals(desired.workflowType()) ? "argument" : "input";
    String actualArgument = actual.argument().map(CanonicalJson::text).orElse("(none)");
    String desiredArgument = CanonicalJson.text(desired.argument());
    if (!actualArgument.equals(desiredArgument)) {
      // The argument was last written from the row if its hash is the one recorded in the source
      // memo.
      boolean outside =
          actual.argument().isEmpty()
              || actual.source().isEmpty()
              || !actual
                  .source()
                  .get()
                  .path(DesiredSchedule.ARGUMENT_HASH)
                  .asText()
                  .equals(CanonicalJson.sha256(actual.argument().get()));
      changes.put(
          argumentPath, new FieldChange(argumentPath, actualArgument, desiredArgument, outside));
    }
    direct(
        changes,
        "temporal.overlap",
        text(actual.overlap()),
        text(desired.temporal().overlap().name()));
    direct(
        changes,
        "temporal.catchup_window",
        duration(actual.catchupWindow()),
        duration(desired.temporal().catchupWindow()));
    direct(
        changes,
        "temporal.pause_on_failure",
        String.valueOf(actual.pauseOnFailure()),
        String.valueOf(desired.temporal().pauseOnFailure()));
    if (reasons.contains(Planner.SPEC_CHANGED_OUTSIDE)
        && !changes.keySet().stream().anyMatch(p -> p.startsWith("trigger."))) {
      changes.put(
          "trigger",
          new FieldChange(
              "trigger", "(as the server lists it now)", "(as in the registry row)", true));
    }
    String desiredNotes = ScheduleOwnership.notes(desired.activityId(), desired.specHash());
    if (changes.isEmpty()
        && !ScheduleOwnership.specHashInNotes(actual.notes())
            .equals(Optional.of(desired.specHash()))) {
      changes.put(
          "notes", new FieldChange("notes", text(actual.notes()), text(desiredNotes), true));
    }
    return new ArrayList<>(changes.values());
  }

  private static void direct(
      Map<String, FieldChange> changes, String path, String actual, String desired) {
    if (actual.equals(desired)) {
      return;
    }
    FieldChange fromSource = changes.get(path);
    // The row changed this field, and Temporal still has the old value: an ordinary change. If
    // Temporal's
    // value differs from what was written last time, it was changed outside the registry.
    boolean outside = fromSource == null || !fromSource.from().equals(actual);
    changes.put(path, new FieldChange(path, actual, desired, outside));
  }

  /**
   * Top-level fields, and one level into objects: {@code trigger.cron}, {@code policies.overlap}.
   */
  private static Map<String, JsonNode> flatten(JsonNode source) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : source.properties()) {
      if (field.getValue().isObject()) {
        for (Map.Entry<String, JsonNode> leaf : field.getValue().properties()) {
          fields.put(field.getKey() + "." + leaf.getKey(), leaf.getValue());
        }
      } else {
        fields.put(field.getKey(), field.getValue());
      }
    }
    return fields;
  }

  private static String render(JsonNode value) {
    return value == null ? "(none)" : CanonicalJson.text(value);
  }

  private static String text(String value) {
    return CanonicalJson.text(JsonNodeFactory.instance.textNode(value));
  }

  private static String duration(Duration value) {
    return value.isNegative() || value.getNano() != 0
        ? text(value.toString())
        : text(DurationText.format(value));
  }
}
