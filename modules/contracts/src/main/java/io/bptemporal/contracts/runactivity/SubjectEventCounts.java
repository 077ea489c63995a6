package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a {@link SubjectEventsWorkflow} did with the events it was sent, over its whole chain of
 * runs (carried across continue-as-new). Each event taken is {@code handled} once and ended in one
 * of three ways: its run completed, its run had been started before ({@code already_run}), or its
 * run failed ({@code failed}).
 *
 * @param handled events taken from the queue, in arrival order, each given to RunActivity
 * @param alreadyRun of those, events whose run ID ({@code <activity_id>:event:<event_id>}) was
 *     taken already — started by a {@code START} route, an earlier chain, an operator: done, not
 *     run again
 * @param failed of those, events whose run failed (after its own retries); the next event is taken
 *     all the same
 * @param duplicates events ignored because their {@code event_id} was in the de-duplication window
 * @param rejected events ignored because they cannot belong here: without a subject, of another
 *     subject, or an {@code event_id} that cannot name a run
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubjectEventCounts(
    long handled, long alreadyRun, long failed, long duplicates, long rejected) {

  public static final SubjectEventCounts NONE = new SubjectEventCounts(0, 0, 0, 0, 0);

  public SubjectEventCounts {
    if (handled < 0 || alreadyRun < 0 || failed < 0 || duplicates < 0 || rejected < 0) {
      throw new IllegalArgumentException("counts are never negative");
    }
  }

  public SubjectEventCounts plusHandled(boolean wasAlreadyRun, boolean hasFailed) {
    return new SubjectEventCounts(
        handled + 1,
        alreadyRun + (wasAlreadyRun ? 1 : 0),
        failed + (hasFailed ? 1 : 0),
        duplicates,
        rejected);
  }

  public SubjectEventCounts plusDuplicate() {
    return new SubjectEventCounts(handled, alreadyRun, failed, duplicates + 1, rejected);
  }

  public SubjectEventCounts plusRejected() {
    return new SubjectEventCounts(handled, alreadyRun, failed, duplicates, rejected + 1);
  }
}
