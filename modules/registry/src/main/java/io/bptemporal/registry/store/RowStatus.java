package io.bptemporal.registry.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code activity_schedule_status}: what the scheduler made of a registry row.
 *
 * @param definitionVersion the row version the status is about
 * @param specHash hash of the desired schedule last applied or verified; empty while the row is
 *     invalid or needs no schedule
 * @param observedFingerprint the schedule as the server lists it, recorded once it carried {@code
 *     specHash}; a later difference means someone changed the schedule outside the registry
 * @param scheduleWrittenAt when the scheduler last created, updated or unpaused the schedule
 * @param missedRunsCheckedThrough COMPRESS: due times up to here are settled (they ran, or a
 *     compressed run stands for them)
 */
public record RowStatus(
    String activityId,
    ReconcileStatus status,
    String message,
    long definitionVersion,
    Optional<String> specHash,
    Optional<String> observedFingerprint,
    Instant lastReconciledAt,
    Optional<Instant> scheduleWrittenAt,
    Optional<Instant> missedRunsCheckedThrough) {

  public RowStatus {
    Objects.requireNonNull(activityId, "activityId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(specHash, "specHash");
    Objects.requireNonNull(observedFingerprint, "observedFingerprint");
    Objects.requireNonNull(lastReconciledAt, "lastReconciledAt");
    Objects.requireNonNull(scheduleWrittenAt, "scheduleWrittenAt");
    Objects.requireNonNull(missedRunsCheckedThrough, "missedRunsCheckedThrough");
  }

  /**
   * Same status facts, ignoring when they were last confirmed: a pass rewrites a row only when this
   * differs.
   */
  public boolean sameOutcome(RowStatus other) {
    return status == other.status
        && message.equals(other.message)
        && definitionVersion == other.definitionVersion
        && specHash.equals(other.specHash)
        && observedFingerprint.equals(other.observedFingerprint)
        && scheduleWrittenAt.equals(other.scheduleWrittenAt)
        && missedRunsCheckedThrough.equals(other.missedRunsCheckedThrough);
  }

  public RowStatus withMissedRunsCheckedThrough(Optional<Instant> checkedThrough) {
    return new RowStatus(
        activityId,
        status,
        message,
        definitionVersion,
        specHash,
        observedFingerprint,
        lastReconciledAt,
        scheduleWrittenAt,
        checkedThrough);
  }
}
