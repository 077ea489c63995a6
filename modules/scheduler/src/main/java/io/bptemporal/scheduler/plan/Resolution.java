package io.bptemporal.scheduler.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides a {@link Step.Verify} once the schedule has been described: the listing may have been a
 * moment behind (then nothing is written), the schedule may be gone or not ours, or it differs in
 * the fields {@link FieldDiff} names.
 */
public final class Resolution {
  private Resolution() {}

  /**
   * The final step; empty when there is nothing to do and nothing to report (a schedule already
   * gone).
   */
  public static Optional<Step> resolve(Step.Verify verify, Optional<DescribedSchedule> described) {
    if (verify.desired().isEmpty()) {
      if (described.isEmpty() || !described.get().owned()) {
        // Gone already, or (memo says) not ours: nothing to delete.
        return verify.row().map(row -> new Step.NoSchedule(row, Planner.noScheduleReason(row)));
      }
      return Optional.of(
          new Step.Delete(
              verify.namespace(),
              verify.scheduleId(),
              verify.row(),
              verify.reasons().isEmpty()
                  ? "no enabled registry row"
                  : verify.reasons().getFirst()));
    }
    DesiredSchedule desired = verify.desired().get();
    var row =
        verify
            .row()
            .orElseThrow(() -> new IllegalArgumentException("a desired schedule comes from a row"));
    if (described.isEmpty()) {
      return Optional.of(new Step.Create(desired, row));
    }
    DescribedSchedule actual = described.get();
    if (!actual.owned()) {
      return Optional.of(
          new Step.Reject(
              row, ScheduleOwnership.conflict(desired.namespace(), desired.scheduleId())));
    }
    List<FieldChange> changes =
        new ArrayList<>(FieldDiff.between(desired, actual, verify.reasons()));
    boolean pausedDiffers = actual.paused() != desired.paused();
    if (changes.isEmpty()) {
      if (!pausedDiffers) {
        return Optional.of(
            new Step.Keep(desired, row, Optional.empty(), actual.recentActionTimes()));
      }
      return Optional.of(
          desired.paused() ? new Step.Pause(desired, row) : new Step.Unpause(desired, row));
    }
    if (pausedDiffers) {
      changes.add(
          new FieldChange(
              "paused", String.valueOf(actual.paused()), String.valueOf(desired.paused()), false));
    }
    return Optional.of(new Step.Update(desired, row, changes));
  }
}
