package io.bptemporal.activity.runactivity;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.naming.ScheduledRun;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Which run a RunActivity execution is: its run key (the prefix of its task keys), its nominal time
 * and what made it due. Pure and deterministic, so the workflow can compute it.
 *
 * @param runKey {@code <activity_id>:<scheduled_for>} or {@code <activity_id>:event:<event_id>}
 * @param scheduledFor the nominal time (an event run: the event's occurred_at)
 * @param triggerEvent the event of an event run
 * @param compressedWindow the missed runs a COMPRESS run stands for
 * @param origin where the nominal time came from
 */
public record RunIdentity(
    String runKey,
    Instant scheduledFor,
    Optional<EventEnvelope> triggerEvent,
    Optional<CompressedWindow> compressedWindow,
    Origin origin) {

  /** Where a run's nominal time came from. */
  public enum Origin {
    /** {@code scheduled_for} of the request (scheduler catch-up, COMPRESS, a manual run). */
    REQUEST,
    /** The event of an event-triggered run. */
    EVENT,
    /** The {@code TemporalScheduledStartTime} search attribute a Temporal Schedule set. */
    SCHEDULE_ATTRIBUTE,
    /** The workflow ID a Temporal Schedule gave the run ({@code <activity_id>-<time>}). */
    WORKFLOW_ID
  }

  static final String ACCEPTED =
      "scheduled_for (a whole second), or trigger_event, or neither when a Temporal"
          + " Schedule starts the run (it sets TemporalScheduledStartTime and names the run <activity_id>-<time>)";

  public RunIdentity {
    Objects.requireNonNull(runKey, "runKey");
    Objects.requireNonNull(scheduledFor, "scheduledFor");
    Objects.requireNonNull(triggerEvent, "triggerEvent");
    Objects.requireNonNull(compressedWindow, "compressedWindow");
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * Resolves the run of {@code request}.
   *
   * @param workflowId the execution's workflow ID
   * @param scheduledStart the {@code TemporalScheduledStartTime} search attribute, when set
   * @throws IllegalArgumentException naming what is wrong and what is accepted
   */
  public static RunIdentity resolve(
      RunActivityRequest request, String workflowId, Optional<Instant> scheduledStart) {
    String activityId = request.activityId();
    if (request.scheduledFor().isPresent() && request.triggerEvent().isPresent()) {
      throw new IllegalArgumentException(
          "run of activity '"
              + activityId
              + "' has both scheduled_for and trigger_event;"
              + " accepted: "
              + ACCEPTED);
    }
    if (request.triggerEvent().isPresent()) {
      EventEnvelope event = request.triggerEvent().get();
      if (request.compressedWindow().isPresent()) {
        throw new IllegalArgumentException(
            "run of activity '"
                + activityId
                + "' has a compressed_window but is an event"
                + " run; accepted: compressed_window only with a scheduled run");
      }
      return new RunIdentity(
          WorkflowIds.eventRun(activityId, event.eventId()),
          event.occurredAt(),
          Optional.of(event),
          Optional.empty(),
          Origin.EVENT);
    }
    ScheduledRun run;
    Origin origin;
    if (request.scheduledFor().isPresent()) {
      run = new ScheduledRun(activityId, request.scheduledFor().get());
      origin = Origin.REQUEST;
    } else {
      Optional<ScheduledRun> fromId = WorkflowIds.parseScheduledRun(workflowId);
      fromId
          .filter(r -> !r.activityId().equals(activityId))
          .ifPresent(
              r -> {
                throw new IllegalArgumentException(
                    "workflow ID '"
                        + workflowId
                        + "' names activity '"
                        + r.activityId()
                        + "' but the request runs '"
                        + activityId
                        + "'; accepted: a Schedule whose action ID and input name the"
                        + " same activity_id");
              });
      if (scheduledStart.isPresent() && scheduledStart.get().getNano() == 0) {
        run = new ScheduledRun(activityId, scheduledStart.get());
        origin = Origin.SCHEDULE_ATTRIBUTE;
      } else if (fromId.isPresent()) {
        // A manual "trigger now" of a Schedule has a start time with a fraction of a second; the
        // server names the
        // run after the same instant cut to the second, and that name is the run's stable identity.
        fromId
            .filter(
                r ->
                    scheduledStart.isEmpty()
                        || r.scheduledFor()
                            .equals(scheduledStart.get().truncatedTo(ChronoUnit.SECONDS)))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "workflow ID '"
                            + workflowId
                            + "' and the"
                            + " TemporalScheduledStartTime "
                            + scheduledStart.get()
                            + " name different times"));
        run = fromId.get();
        origin = Origin.WORKFLOW_ID;
      } else {
        throw new IllegalArgumentException(
            "run of activity '"
                + activityId
                + "' has neither scheduled_for nor"
                + " trigger_event, and was not started by a Temporal Schedule (no TemporalScheduledStartTime search"
                + " attribute"
                + scheduledStart.map(t -> " with a whole second (found " + t + ")").orElse("")
                + ", and workflow ID '"
                + workflowId
                + "' is neither <activity_id>-<time> nor <activity_id>:<time>);"
                + " accepted: "
                + ACCEPTED);
      }
    }
    Optional<CompressedWindow> window = request.compressedWindow();
    if (window.isPresent()) {
      CompressedWindow w = window.get();
      if (!w.missedTo().equals(run.scheduledFor())) {
        throw new IllegalArgumentException(
            "compressed_window.missed_to "
                + w.missedTo()
                + " of run "
                + run.key()
                + " differs from its scheduled time; accepted: the compressed run is scheduled for the last missed time"
                + " (missed_to = scheduled_for)");
      }
      if (w.missedFrom().isAfter(w.missedTo())) {
        throw new IllegalArgumentException(
            "compressed_window.missed_from "
                + w.missedFrom()
                + " of run "
                + run.key()
                + " is after missed_to "
                + w.missedTo()
                + "; accepted: missed_from <= missed_to");
      }
      if (w.missedCount() < 1) {
        throw new IllegalArgumentException(
            "compressed_window.missed_count "
                + w.missedCount()
                + " of run "
                + run.key()
                + " is not accepted: at least 1");
      }
    }
    return new RunIdentity(
        WorkflowIds.scheduledRun(run), run.scheduledFor(), Optional.empty(), window, origin);
  }
}
