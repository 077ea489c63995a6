package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.event.EventEnvelope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Input of {@link RunActivityWorkflow}: run one activity of the registry once. Schema: {@code
 * run-activity-request/v1.json}.
 *
 * <p>What the run is for, at most one of:
 *
 * <ul>
 *   <li>{@code scheduled_for} — a scheduled run started by the scheduler (catch-up, compressed,
 *       manual);
 *   <li>{@code trigger_event} — a run started by an event of one of the activity's {@code
 *       event_types};
 *   <li>neither — a run started by the activity's Temporal Schedule, whose action input is fixed:
 *       the run takes its scheduled time from the {@code TemporalScheduledStartTime} search
 *       attribute the Schedule sets (or, equivalently, from its workflow ID, see {@link
 *       io.bptemporal.contracts.naming.WorkflowIds#parseScheduledRun(String)}).
 * </ul>
 *
 * @param activityId the registry row to run
 * @param scheduledFor nominal time of a scheduled run, a whole second
 * @param triggerEvent the event that triggered the run
 * @param compressedWindow the missed runs this run stands for ({@code COMPRESS}); only with a
 *     scheduled run
 * @param definitionVersion run this revision of the row instead of the current one (re-runs,
 *     backfills)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RunActivityRequest(
    String activityId,
    Optional<Instant> scheduledFor,
    Optional<EventEnvelope> triggerEvent,
    Optional<CompressedWindow> compressedWindow,
    Optional<Long> definitionVersion) {

  public RunActivityRequest {
    Objects.requireNonNull(activityId, "activity_id");
    scheduledFor = Objects.requireNonNullElse(scheduledFor, Optional.empty());
    triggerEvent = Objects.requireNonNullElse(triggerEvent, Optional.empty());
    compressedWindow = Objects.requireNonNullElse(compressedWindow, Optional.empty());
    definitionVersion = Objects.requireNonNullElse(definitionVersion, Optional.empty());
  }

  public static RunActivityRequest scheduled(String activityId, Instant scheduledFor) {
    return new RunActivityRequest(
        activityId,
        Optional.of(scheduledFor),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public static RunActivityRequest triggeredBy(String activityId, EventEnvelope event) {
    return new RunActivityRequest(
        activityId, Optional.empty(), Optional.of(event), Optional.empty(), Optional.empty());
  }
}
