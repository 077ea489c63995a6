package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One unit of work a run of an activity produced (RunActivity's task factory). Schema: {@code
 * task-instance/v1.json}.
 *
 * @param taskKey unique key, see {@link io.bptemporal.contracts.naming.TaskKeys}; starts with
 *     {@code <activity_id>:}
 * @param activityId the activity whose run produced the task
 * @param scheduledFor the nominal time of that run
 * @param kind what sort of task, dot-separated lowercase, e.g. {@code export.partition}
 * @param payload the task's parameters, a JSON object
 * @param status where the task is in its life cycle
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskInstance(
    String taskKey,
    String activityId,
    Instant scheduledFor,
    String kind,
    ObjectNode payload,
    TaskStatus status) {

  public TaskInstance {
    Objects.requireNonNull(taskKey, "task_key");
    Objects.requireNonNull(activityId, "activity_id");
    Objects.requireNonNull(scheduledFor, "scheduled_for");
    Objects.requireNonNull(kind, "kind");
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
    Objects.requireNonNull(status, "status");
  }

  @Override
  public ObjectNode payload() {
    return payload.deepCopy();
  }
}
