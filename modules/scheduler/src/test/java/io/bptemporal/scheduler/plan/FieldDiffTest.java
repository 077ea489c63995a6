package io.bptemporal.scheduler.plan;

import static io.bptemporal.scheduler.plan.ResolutionTest.asWritten;
import static io.bptemporal.scheduler.plan.TestRows.desired;
import static io.bptemporal.scheduler.plan.TestRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.registry.store.RegistryRow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldDiffTest {

  @Test
  void anUnchangedScheduleHasNoChanges() {
    RegistryRow row = row("a");
    assertThat(FieldDiff.between(desired(row), asWritten(row, false), List.of())).isEmpty();
  }

  @Test
  void inputAndPolicyChangesOfTheRowAreNamedInRegistryTerms() {
    RegistryRow before = row("a");
    RegistryRow after =
        row("a", "{\"input\": {\"days\": 2}, \"policies\": {\"overlap\": \"BUFFER_ALL\"}}");
    assertThat(FieldDiff.between(desired(after), asWritten(before, false), List.of()))
        .containsExactly(
            new FieldChange("policies.overlap", "\"SKIP\"", "\"BUFFER_ALL\"", false),
            new FieldChange("temporal.overlap", "\"SKIP\"", "\"BUFFER_ALL\"", false),
            new FieldChange("input", "{}", "{\"days\":2}", false));
  }

  @Test
  void aValueChangedInTemporalButNotInTheRowIsMarkedAsChangedOutside() {
    RegistryRow row = row("a");
    DescribedSchedule written = asWritten(row, false);
    DescribedSchedule edited =
        new DescribedSchedule(
            written.namespace(),
            written.scheduleId(),
            true,
            written.notes(),
            false,
            written.workflowType(),
            written.taskQueue(),
            written.workflowIdBase(),
            written.argument(),
            "ALLOW_ALL",
            Duration.ofMinutes(5),
            false,
            written.source(),
            0,
            List.of(),
            0);
    assertThat(FieldDiff.between(desired(row), edited, List.of()))
        .containsExactly(
            new FieldChange("temporal.overlap", "\"ALLOW_ALL\"", "\"SKIP\"", true),
            new FieldChange("temporal.catchup_window", "\"5m\"", "\"1h\"", true));
  }

  @Test
  void notesOverwrittenByHandAreRestored() {
    RegistryRow row = row("a");
    DescribedSchedule written = asWritten(row, false);
    DescribedSchedule paused =
        new DescribedSchedule(
            written.namespace(),
            written.scheduleId(),
            true,
            "paused by ops during the incident",
            false,
            written.workflowType(),
            written.taskQueue(),
            written.workflowIdBase(),
            written.argument(),
            written.overlap(),
            written.catchupWindow(),
            false,
            written.source(),
            0,
            List.of(),
            0);
    assertThat(FieldDiff.between(desired(row), paused, List.of()))
        .singleElement()
        .satisfies(c -> assertThat(c.path()).isEqualTo("notes"))
        .satisfies(c -> assertThat(c.outsideRegistry()).isTrue());
  }

  @Test
  void aSpecChangedOutsideTheRegistryIsReportedWhenTheListingSawIt() {
    RegistryRow row = row("a");
    assertThat(
            FieldDiff.between(
                desired(row), asWritten(row, false), List.of(Planner.SPEC_CHANGED_OUTSIDE)))
        .singleElement()
        .satisfies(c -> assertThat(c.path()).isEqualTo("trigger"));
  }

  @Test
  void aScheduleWithoutSourceMemoIsComparedOnWhatTemporalReports() {
    RegistryRow row = row("a");
    DescribedSchedule written = asWritten(row, false);
    DescribedSchedule noSource =
        new DescribedSchedule(
            written.namespace(),
            written.scheduleId(),
            true,
            "",
            false,
            "OtherWorkflow",
            written.taskQueue(),
            written.workflowIdBase(),
            written.argument(),
            written.overlap(),
            written.catchupWindow(),
            false,
            Optional.empty(),
            0,
            List.of(),
            0);
    assertThat(FieldDiff.between(desired(row), noSource, List.of()))
        .extracting(FieldChange::path)
        .containsExactly("workflow_type");
  }
}
