package io.bptemporal.scheduler.plan;

import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.store.RowStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The diff between what the registry asks for and what Temporal has, from the listing alone:
 * creates, schedules that are certainly unchanged, and {@link Step.Verify} for everything the
 * listing cannot decide (resolved by describing just those schedules, see {@link Resolution}).
 * Pure: no I/O, so a pass with no change is decided without a single describe.
 *
 * <p>Rules: only schedules whose memo marks them as managed are ever updated or deleted; an invalid
 * row keeps the schedule it had (a typo must not stop a working job). In a namespace that could not
 * be listed (the visibility store is down or too slow), every row is planned by describing its
 * schedule instead: creates, updates, pauses and deletes of disabled rows still happen; only
 * schedules whose row is gone wait for a listing, because nothing else names them.
 */
public final class Planner {
  public static final String SPEC_CHANGED_OUTSIDE =
      "the listed spec differs from the one recorded when it was applied";

  private Planner() {}

  public static List<Step> plan(
      List<RowVerdict> verdicts, Map<String, RowStatus> statuses, List<NamespaceListing> listings) {
    Map<String, ListedSchedule> byKey = new HashMap<>();
    Map<String, List<ListedSchedule>> ownedById = new HashMap<>();
    Map<String, String> failedNamespaces = new HashMap<>();
    for (NamespaceListing listing : listings) {
      listing.failure().ifPresent(f -> failedNamespaces.put(listing.namespace(), f));
      for (ListedSchedule schedule : listing.schedules()) {
        byKey.put(schedule.key(), schedule);
        if (schedule.owned()) {
          ownedById.computeIfAbsent(schedule.scheduleId(), id -> new ArrayList<>()).add(schedule);
        }
      }
    }
    Map<String, RegistryRow> rowsById = new HashMap<>();
    verdicts.forEach(v -> rowsById.put(v.row().activityId(), v.row()));

    List<Step> steps = new ArrayList<>();
    Set<String> claimed = new HashSet<>();
    for (RowVerdict verdict : verdicts) {
      RegistryRow row = verdict.row();
      if (verdict instanceof RowVerdict.Invalid invalid) {
        steps.add(new Step.Reject(row, invalid.message()));
        // The schedule this row had stays as it was until the row is fixed.
        ownedById.getOrDefault(row.activityId(), List.of()).forEach(s -> claimed.add(s.key()));
        continue;
      }
      var definition = ((RowVerdict.Valid) verdict).definition();
      Optional<DesiredSchedule> wanted =
          definition.enabled() ? DesiredSchedule.of(definition) : Optional.empty();
      Optional<RowStatus> status = Optional.ofNullable(statuses.get(row.activityId()));
      if (wanted.isEmpty()) {
        if (failedNamespaces.containsKey(row.namespace())
            && status.flatMap(RowStatus::specHash).isPresent()) {
          // The schedule this row had may still exist; without a listing only describing it can
          // tell.
          steps.add(
              new Step.Verify(
                  row.namespace(),
                  row.activityId(),
                  Optional.empty(),
                  Optional.of(row),
                  List.of(
                      row.enabled() ? "row has no time-based trigger" : "row disabled",
                      unlisted(row.namespace(), failedNamespaces))));
        } else if (ownedById.getOrDefault(row.activityId(), List.of()).isEmpty()) {
          steps.add(new Step.NoSchedule(row, noScheduleReason(row)));
        }
        continue;
      }
      DesiredSchedule desired = wanted.get();
      String key = desired.namespace() + "/" + desired.scheduleId();
      claimed.add(key);
      if (failedNamespaces.containsKey(desired.namespace())) {
        steps.add(
            new Step.Verify(
                desired.namespace(),
                desired.scheduleId(),
                Optional.of(desired),
                Optional.of(row),
                List.of(unlisted(desired.namespace(), failedNamespaces))));
        continue;
      }
      steps.add(decide(desired, row, Optional.ofNullable(byKey.get(key)), status));
    }
    for (List<ListedSchedule> owned : ownedById.values()) {
      for (ListedSchedule schedule : owned) {
        if (!claimed.contains(schedule.key())
            && !failedNamespaces.containsKey(schedule.namespace())) {
          Optional<RegistryRow> row = Optional.ofNullable(rowsById.get(schedule.scheduleId()));
          steps.add(
              new Step.Verify(
                  schedule.namespace(),
                  schedule.scheduleId(),
                  Optional.empty(),
                  row,
                  List.of(deleteReason(row, schedule))));
        }
      }
    }
    steps.sort(Comparator.comparing(Step::key));
    return steps;
  }

  private static Step decide(
      DesiredSchedule desired,
      RegistryRow row,
      Optional<ListedSchedule> listed,
      Optional<RowStatus> status) {
    String hash = desired.specHash();
    if (listed.isEmpty()) {
      if (status.flatMap(RowStatus::specHash).isPresent()) {
        // Created by an earlier pass but not listed: the listing may be a moment behind, or someone
        // deleted it.
        return new Step.Verify(
            desired.namespace(),
            desired.scheduleId(),
            Optional.of(desired),
            Optional.of(row),
            List.of("not listed"));
      }
      return new Step.Create(desired, row);
    }
    ListedSchedule schedule = listed.get();
    if (!schedule.owned()) {
      return new Step.Reject(
          row, ScheduleOwnership.conflict(desired.namespace(), desired.scheduleId()));
    }
    List<String> reasons = new ArrayList<>();
    if (!schedule.notesSpecHash().equals(Optional.of(hash))) {
      reasons.add(
          "notes carry "
              + schedule.notesSpecHash().orElse("no spec hash")
              + ", the row's spec is "
              + hash);
    }
    if (!schedule.workflowType().equals(desired.workflowType())) {
      reasons.add("workflow type " + schedule.workflowType());
    }
    if (schedule.paused() != desired.paused()) {
      reasons.add("paused " + schedule.paused());
    }
    boolean recordedForThisSpec = status.flatMap(RowStatus::specHash).equals(Optional.of(hash));
    Optional<String> recorded =
        recordedForThisSpec ? status.get().observedFingerprint() : Optional.empty();
    if (reasons.isEmpty()
        && recorded.isPresent()
        && !recorded.get().equals(schedule.fingerprint())) {
      reasons.add(SPEC_CHANGED_OUTSIDE);
    }
    if (reasons.isEmpty() && !status.flatMap(RowStatus::specHash).equals(Optional.of(hash))) {
      // The listing agrees, but this scheduler has not recorded applying this spec (first pass
      // after a lost
      // status write, or a schedule it deleted that the visibility store still lists): ask the
      // schedule itself.
      reasons.add("no applied spec recorded for the row");
    }
    if (!reasons.isEmpty()) {
      return new Step.Verify(
          desired.namespace(),
          desired.scheduleId(),
          Optional.of(desired),
          Optional.of(row),
          reasons);
    }
    return new Step.Keep(
        desired,
        row,
        recorded.isPresent() ? Optional.empty() : Optional.of(schedule.fingerprint()),
        schedule.recentActionTimes());
  }

  private static String unlisted(String namespace, Map<String, String> failedNamespaces) {
    return "cannot list the schedules of namespace "
        + namespace
        + " ("
        + failedNamespaces.get(namespace)
        + "): described instead";
  }

  public static String noScheduleReason(RegistryRow row) {
    return row.enabled() ? "triggered by events only: no Schedule" : "disabled: no Schedule";
  }

  private static String deleteReason(Optional<RegistryRow> row, ListedSchedule schedule) {
    if (row.isEmpty()) {
      return "no registry row " + schedule.scheduleId();
    }
    if (!row.get().enabled()) {
      return "row disabled";
    }
    if (!row.get().namespace().equals(schedule.namespace())) {
      return "row moved to namespace " + row.get().namespace();
    }
    return "row has no time-based trigger";
  }
}
