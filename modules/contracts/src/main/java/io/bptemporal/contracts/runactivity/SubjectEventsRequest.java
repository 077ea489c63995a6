package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.event.EventEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Input of {@link SubjectEventsWorkflow}: the events of one subject for one activity. Schema:
 * {@code subject-events-request/v1.json}.
 *
 * <p>A sender (the event router) starts the chain with {@link #of(String, String)}; the workflow
 * fills the other fields itself when it continues as new, so that nothing it knows is lost.
 *
 * @param activityId the registry row each event runs
 * @param subject the envelope {@code subject} every event of this workflow carries
 * @param idleTimeout the workflow completes after this long without an event to handle; at least
 *     1s, default {@value #DEFAULT_IDLE_TIMEOUT_TEXT}
 * @param seenEventIds the de-duplication window carried over: the newest event IDs taken, oldest
 *     first, at most {@value #DEDUPE_WINDOW}
 * @param pendingEvents events received but not handled yet, in arrival order, carried over
 * @param counts totals of the earlier runs of the chain; absent for a new chain
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SubjectEventsRequest(
    String activityId,
    String subject,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration idleTimeout,
    List<String> seenEventIds,
    List<EventEnvelope> pendingEvents,
    Optional<SubjectEventCounts> counts) {

  /** Size of the de-duplication window: event IDs remembered, the oldest forgotten first. */
  public static final int DEDUPE_WINDOW = 1000;

  static final String DEFAULT_IDLE_TIMEOUT_TEXT = "24h";
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(24);

  public SubjectEventsRequest {
    Objects.requireNonNull(activityId, "activity_id");
    Objects.requireNonNull(subject, "subject");
    idleTimeout = Objects.requireNonNullElse(idleTimeout, DEFAULT_IDLE_TIMEOUT);
    seenEventIds = List.copyOf(Objects.requireNonNullElse(seenEventIds, List.of()));
    pendingEvents = List.copyOf(Objects.requireNonNullElse(pendingEvents, List.of()));
    counts = Objects.requireNonNullElse(counts, Optional.empty());
  }

  /** A new chain for the subject, idle timeout {@value #DEFAULT_IDLE_TIMEOUT_TEXT}. */
  public static SubjectEventsRequest of(String activityId, String subject) {
    return new SubjectEventsRequest(
        activityId, subject, DEFAULT_IDLE_TIMEOUT, List.of(), List.of(), Optional.empty());
  }

  public SubjectEventsRequest withIdleTimeout(Duration timeout) {
    return new SubjectEventsRequest(
        activityId, subject, timeout, seenEventIds, pendingEvents, counts);
  }
}
