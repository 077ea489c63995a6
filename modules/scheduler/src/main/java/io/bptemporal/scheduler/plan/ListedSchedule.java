package io.bptemporal.scheduler.plan;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A schedule as ListSchedules shows it (from the visibility store, so possibly a moment behind):
 * enough to recognise ownership and an unchanged schedule without describing it.
 *
 * @param owned the schedule's memo says this scheduler manages it
 * @param notesSpecHash the spec hash in the notes, when the notes are ours
 * @param fingerprint hash of the listed spec and workflow type, see {@code
 *     temporal.SpecFingerprint}
 * @param recentActionTimes nominal times of the last runs the schedule started
 */
public record ListedSchedule(
    String namespace,
    String scheduleId,
    boolean owned,
    Optional<String> notesSpecHash,
    boolean paused,
    String workflowType,
    String fingerprint,
    List<Instant> recentActionTimes) {

  public ListedSchedule {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(notesSpecHash, "notesSpecHash");
    Objects.requireNonNull(workflowType, "workflowType");
    Objects.requireNonNull(fingerprint, "fingerprint");
    recentActionTimes = List.copyOf(recentActionTimes);
  }

  public String key() {
    return namespace + "/" + scheduleId;
  }
}
