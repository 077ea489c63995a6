package io.bptemporal.scheduler.plan;

import io.bptemporal.registry.store.RegistryRow;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a plan: what a pass does (or, for {@link Verify}, still has to find out) for one
 * registry row or one managed schedule.
 */
public sealed interface Step {

  /** {@code namespace/schedule-id}, or the activity_id for a row without a schedule. */
  String key();

  /** Changes a Temporal Schedule (the plan's {@code +}, {@code ~}, {@code -} lines). */
  sealed interface Change extends Step {}

  /** {@code +}: no schedule has the row's ID yet. */
  record Create(DesiredSchedule desired, RegistryRow row) implements Change {
    @Override
    public String key() {
      return desired.namespace() + "/" + desired.scheduleId();
    }
  }

  /** {@code ~}: the schedule differs from the row in these fields (paused may be one of them). */
  record Update(DesiredSchedule desired, RegistryRow row, List<FieldChange> changes)
      implements Change {
    public Update {
      changes = List.copyOf(changes);
    }

    @Override
    public String key() {
      return desired.namespace() + "/" + desired.scheduleId();
    }
  }

  /** {@code ~ paused: false -> true}: only the paused state differs. */
  record Pause(DesiredSchedule desired, RegistryRow row) implements Change {
    @Override
    public String key() {
      return desired.namespace() + "/" + desired.scheduleId();
    }
  }

  /** {@code ~ paused: true -> false}: only the paused state differs. */
  record Unpause(DesiredSchedule desired, RegistryRow row) implements Change {
    @Override
    public String key() {
      return desired.namespace() + "/" + desired.scheduleId();
    }
  }

  /** {@code -}: a schedule this scheduler manages that no enabled row asks for any more. */
  record Delete(String namespace, String scheduleId, Optional<RegistryRow> row, String reason)
      implements Change {
    @Override
    public String key() {
      return namespace + "/" + scheduleId;
    }
  }

  /**
   * The schedule matches the row; when the listing's fingerprint is new for this spec, record it.
   *
   * @param recentRuns nominal times of the last runs the schedule started, as Temporal reported
   *     them
   */
  record Keep(
      DesiredSchedule desired,
      RegistryRow row,
      Optional<String> fingerprintToRecord,
      List<java.time.Instant> recentRuns)
      implements Step {
    public Keep {
      recentRuns = List.copyOf(recentRuns);
    }

    @Override
    public String key() {
      return desired.namespace() + "/" + desired.scheduleId();
    }
  }

  /** A valid row that needs no schedule (disabled, or triggered by events only) and has none. */
  record NoSchedule(RegistryRow row, String reason) implements Step {
    @Override
    public String key() {
      return row.activityId();
    }
  }

  /** {@code !}: the row cannot be applied until someone fixes it (status INVALID). */
  record Reject(RegistryRow row, String message) implements Step {
    @Override
    public String key() {
      return row.activityId();
    }
  }

  /** The row could not be reconciled now (status ERROR); the next pass tries again. */
  record Fail(RegistryRow row, String message) implements Step {
    @Override
    public String key() {
      return row.activityId();
    }
  }

  /**
   * The listing alone cannot decide: the schedule has to be described first (the listing may be a
   * moment behind, or the schedule differs and the plan must name the fields).
   *
   * @param desired what the row asks for; empty when no enabled row asks for this schedule (a
   *     delete)
   * @param row the registry row, when one exists
   * @param reasons what the listing showed, e.g. a fingerprint that changed outside the registry
   */
  record Verify(
      String namespace,
      String scheduleId,
      Optional<DesiredSchedule> desired,
      Optional<RegistryRow> row,
      List<String> reasons)
      implements Step {
    public Verify {
      Objects.requireNonNull(desired, "desired");
      Objects.requireNonNull(row, "row");
      reasons = List.copyOf(reasons);
    }

    @Override
    public String key() {
      return namespace + "/" + scheduleId;
    }
  }
}
