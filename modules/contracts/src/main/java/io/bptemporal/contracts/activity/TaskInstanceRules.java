package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.Violations;

/** A task key belongs to the activity it names: {@code <activity_id>:...}. */
public final class TaskInstanceRules implements DocumentRules {

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonNode taskKey = document.path("task_key");
    JsonNode activityId = document.path("activity_id");
    if (taskKey.isTextual()
        && activityId.isTextual()
        && !taskKey.asText().startsWith(activityId.asText() + ":")) {
      violations.add(
          JsonPath.root().property("task_key"),
          "does not start with the task's activity_id '" + activityId.asText() + ":'",
          "<activity_id>:<run>/<kind>/<ordinal>, e.g. "
              + activityId.asText()
              + ":2026-11-21T00:00:00Z/export.partition/0",
          taskKey);
    }
  }
}
