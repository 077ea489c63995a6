package io.bptemporal.scheduler.plan;

import static io.bptemporal.scheduler.plan.TestRows.desired;
import static io.bptemporal.scheduler.plan.TestRows.row;
import static io.bptemporal.scheduler.plan.TestRows.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.store.RowStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private static ListedSchedule listed(
      RegistryRow row, boolean owned, Optional<String> hash, boolean paused, String fingerprint) {
    return new ListedSchedule(
        row.namespace(),
        row.activityId(),
        owned,
        hash,
        paused,
        row.workflowType(),
        fingerprint,
        List.of());
  }

  private static ListedSchedule inSync(RegistryRow row) {
    return listed(row, true, Optional.of(desired(row).specHash()), row.paused(), "fp-1");
  }

  private static RowStatus applied(RegistryRow row, Optional<String> fingerprint) {
    return new RowStatus(
        row.activityId(),
        ReconcileStatus.OK,
        "in sync",
        row.version(),
        Optional.of(desired(row).specHash()),
        fingerprint,
        NOW,
        Optional.of(NOW),
        Optional.empty());
  }

  private static List<Step> plan(
      List<RowVerdict> verdicts, Map<String, RowStatus> statuses, ListedSchedule... listed) {
    return Planner.plan(verdicts, statuses, List.of(NamespaceListing.of("ns", List.of(listed))));
  }

  @Test
  void aRowWithoutScheduleIsCreated() {
    RegistryRow row = row("a");
    assertThat(plan(List.of(valid(row)), Map.of())).singleElement().isInstanceOf(Step.Create.class);
  }

  @Test
  void aListedScheduleWithTheRowsSpecIsKeptWithoutDescribingIt() {
    RegistryRow row = row("a");
    List<Step> steps =
        plan(List.of(valid(row)), Map.of("a", applied(row, Optional.of("fp-1"))), inSync(row));
    assertThat(steps)
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Keep.class,
            keep -> assertThat(keep.fingerprintToRecord()).as("already recorded").isEmpty());
  }

  @Test
  void theFirstListingOfAnAppliedSpecRecordsItsFingerprint() {
    RegistryRow row = row("a");
    List<Step> steps =
        plan(List.of(valid(row)), Map.of("a", applied(row, Optional.empty())), inSync(row));
    assertThat(steps)
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Keep.class, keep -> assertThat(keep.fingerprintToRecord()).contains("fp-1"));
  }

  @Test
  void aListingThatAgreesIsNotTrustedWithoutARecordOfApplyingThatSpec() {
    RegistryRow row = row("a");
    List<Step> steps = plan(List.of(valid(row)), Map.of(), inSync(row));
    assertThat(steps).singleElement().isInstanceOf(Step.Verify.class);
  }

  @Test
  void differentNotesPausedOrFingerprintNeedADescribe() {
    RegistryRow row = row("a");
    Map<String, RowStatus> statuses = Map.of("a", applied(row, Optional.of("fp-1")));
    assertThat(
            plan(
                List.of(valid(row)),
                statuses,
                listed(row, true, Optional.of("sha256:other"), false, "fp-1")))
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Verify.class,
            v -> assertThat(v.reasons().getFirst()).contains("notes carry sha256:other"));
    assertThat(
            plan(
                List.of(valid(row)),
                statuses,
                listed(row, true, Optional.of(desired(row).specHash()), true, "fp-1")))
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Verify.class, v -> assertThat(v.reasons()).containsExactly("paused true"));
    assertThat(
            plan(
                List.of(valid(row)),
                statuses,
                listed(row, true, Optional.of(desired(row).specHash()), false, "fp-2")))
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Verify.class,
            v -> assertThat(v.reasons()).containsExactly(Planner.SPEC_CHANGED_OUTSIDE));
  }

  @Test
  void aScheduleNotOwnedBlocksTheRowInsteadOfBeingTaken() {
    RegistryRow row = row("a");
    assertThat(
            plan(List.of(valid(row)), Map.of(), listed(row, false, Optional.empty(), false, "fp")))
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Reject.class,
            r -> assertThat(r.message()).contains("is not managed by bp-temporal-scheduler"));
  }

  @Test
  void unownedSchedulesWithoutRowsAreIgnored() {
    RegistryRow stranger = row("stranger");
    assertThat(plan(List.of(), Map.of(), listed(stranger, false, Optional.empty(), false, "fp")))
        .isEmpty();
  }

  @Test
  void managedSchedulesThatNoEnabledRowAsksForAreDeleteCandidates() {
    RegistryRow gone = row("gone");
    RegistryRow disabled = row("disabled", "{\"enabled\": false}");
    List<Step> steps =
        plan(List.of(valid(disabled)), Map.of(), inSync(gone), inSync(row("disabled")));
    assertThat(steps).extracting(Step::key).containsExactly("ns/disabled", "ns/gone");
    assertThat(steps)
        .allSatisfy(
            s ->
                assertThat(s)
                    .isInstanceOfSatisfying(
                        Step.Verify.class, v -> assertThat(v.desired()).isEmpty()));
    assertThat(((Step.Verify) steps.get(0)).reasons()).containsExactly("row disabled");
    assertThat(((Step.Verify) steps.get(1)).reasons()).containsExactly("no registry row gone");
  }

  @Test
  void aDisabledOrEventOnlyRowWithoutScheduleNeedsNothing() {
    RegistryRow disabled = row("disabled", "{\"enabled\": false}");
    RegistryRow events = row("events", "{\"trigger\": {\"event_types\": [\"order.placed\"]}}");
    assertThat(plan(List.of(valid(disabled), valid(events)), Map.of()))
        .extracting(s -> ((Step.NoSchedule) s).reason())
        .containsExactly("disabled: no Schedule", "triggered by events only: no Schedule");
  }

  @Test
  void anInvalidRowKeepsItsScheduleUntouched() {
    RegistryRow row = row("a");
    RowVerdict invalid =
        new RowVerdict.Invalid(
            row,
            List.of(
                new Problem(
                    "$.trigger.cron[0]", "trigger", "bad", "\"0 24 * * *\"", "five fields")));
    assertThat(plan(List.of(invalid), Map.of(), inSync(row)))
        .singleElement()
        .isInstanceOf(Step.Reject.class);
  }

  @Test
  void aNamespaceThatCouldNotBeListedIsPlannedRowByRowThroughDescribe() {
    RegistryRow row = row("a");
    List<Step> steps =
        Planner.plan(
            List.of(valid(row)),
            Map.of(),
            List.of(NamespaceListing.failed("ns", "DEADLINE_EXCEEDED: visibility too slow")));
    assertThat(steps)
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Verify.class,
            v -> {
              assertThat(v.desired()).isPresent();
              assertThat(v.reasons())
                  .containsExactly(
                      "cannot list the schedules of namespace ns (DEADLINE_EXCEEDED: visibility too slow): described instead");
            });
  }

  @Test
  void aDisabledRowWhoseScheduleWasAppliedIsDescribedWhenItsNamespaceCannotBeListed() {
    RegistryRow disabled = row("a", "{\"enabled\": false}");
    RegistryRow neverApplied = row("b", "{\"enabled\": false}");
    Map<String, RowStatus> statuses = Map.of("a", applied(disabled, Optional.empty()));
    List<Step> steps =
        Planner.plan(
            List.of(valid(disabled), valid(neverApplied)),
            statuses,
            List.of(NamespaceListing.failed("ns", "UNAVAILABLE")));
    assertThat(steps).extracting(Step::key).containsExactly("b", "ns/a");
    assertThat(steps.get(0)).isInstanceOf(Step.NoSchedule.class);
    assertThat(steps.get(1))
        .isInstanceOfSatisfying(
            Step.Verify.class,
            v -> {
              assertThat(v.desired()).isEmpty();
              assertThat(v.reasons().getFirst()).isEqualTo("row disabled");
            });
  }

  @Test
  void aRowMovedToAnotherNamespaceIsCreatedThereAndDeletedWhereItWas() {
    RegistryRow moved = row("a", "{\"namespace\": \"other\"}");
    ListedSchedule old = inSync(row("a"));
    List<Step> steps =
        Planner.plan(
            List.of(valid(moved)),
            Map.of(),
            List.of(
                NamespaceListing.of("ns", List.of(old)), NamespaceListing.of("other", List.of())));
    assertThat(steps).extracting(Step::key).containsExactly("ns/a", "other/a");
    assertThat(steps.get(0))
        .isInstanceOfSatisfying(
            Step.Verify.class,
            v -> assertThat(v.reasons()).containsExactly("row moved to namespace other"));
    assertThat(steps.get(1)).isInstanceOf(Step.Create.class);
  }
}
