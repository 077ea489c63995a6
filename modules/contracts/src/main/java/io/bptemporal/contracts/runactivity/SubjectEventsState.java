package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answer of {@link SubjectEventsWorkflow}'s {@code state} query, and its result when it closes.
 * Schema: {@code subject-events-state/v1.json}.
 *
 * @param activityId the registry row each event runs
 * @param subject the subject
 * @param counts what happened to the events so far, over the whole chain of runs
 * @param pending events received and waiting to be handled
 * @param currentEventId the event whose run is being waited for, if one is
 * @param lastEventIds the newest events handled, oldest first, at most {@value #LAST_EVENT_IDS}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record SubjectEventsState(
    String activityId,
    String subject,
    SubjectEventCounts counts,
    int pending,
    Optional<String> currentEventId,
    List<String> lastEventIds) {

  /** How many of the newest handled event IDs the state lists. */
  public static final int LAST_EVENT_IDS = 10;

  public SubjectEventsState {
    Objects.requireNonNull(activityId, "activity_id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(counts, "counts");
    currentEventId = Objects.requireNonNullElse(currentEventId, Optional.empty());
    lastEventIds = List.copyOf(Objects.requireNonNullElse(lastEventIds, List.of()));
  }
}
