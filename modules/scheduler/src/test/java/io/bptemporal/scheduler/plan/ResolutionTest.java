package io.bptemporal.scheduler.plan;

import static io.bptemporal.scheduler.plan.TestRows.desired;
import static io.bptemporal.scheduler.plan.TestRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.registry.store.RegistryRow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolutionTest {

  /** The schedule exactly as the scheduler would have written it for {@code row}. */
  static DescribedSchedule asWritten(RegistryRow row, boolean paused) {
    DesiredSchedule d = desired(row);
    return new DescribedSchedule(
        d.namespace(),
        d.scheduleId(),
        true,
        ScheduleOwnership.notes(d.activityId(), d.specHash()),
        paused,
        d.workflowType(),
        d.taskQueue(),
        d.workflowIdBase(),
        Optional.of(d.argument()),
        d.temporal().overlap().name(),
        d.temporal().catchupWindow(),
        d.temporal().pauseOnFailure(),
        Optional.of(d.source()),
        0,
        List.of(),
        0);
  }

  private static Step.Verify verify(RegistryRow row) {
    return new Step.Verify(
        row.namespace(), row.activityId(), Optional.of(desired(row)), Optional.of(row), List.of());
  }

  @Test
  void aScheduleThatIsGoneIsCreated() {
    assertThat(Resolution.resolve(verify(row("a")), Optional.empty()))
        .get()
        .isInstanceOf(Step.Create.class);
  }

  @Test
  void aStaleListingWritesNothing() {
    RegistryRow row = row("a");
    assertThat(Resolution.resolve(verify(row), Optional.of(asWritten(row, false))))
        .get()
        .isInstanceOf(Step.Keep.class);
  }

  @Test
  void onlyThePausedStateDifferingIsAPauseOrUnpause() {
    RegistryRow paused = row("a", "{\"paused\": true}");
    assertThat(Resolution.resolve(verify(paused), Optional.of(asWritten(paused, false))))
        .get()
        .isInstanceOf(Step.Pause.class);
    RegistryRow running = row("a");
    assertThat(Resolution.resolve(verify(running), Optional.of(asWritten(running, true))))
        .get()
        .isInstanceOf(Step.Unpause.class);
  }

  @Test
  void aChangedRowIsAnUpdateNamingTheFields() {
    RegistryRow before = row("a");
    RegistryRow after = row("a", "{\"trigger\": {\"cron\": [\"0 3 * * *\"]}, \"paused\": true}");
    var step =
        Resolution.resolve(verify(after), Optional.of(asWritten(before, false))).orElseThrow();
    assertThat(step)
        .isInstanceOfSatisfying(
            Step.Update.class,
            u ->
                assertThat(u.changes())
                    .containsExactly(
                        new FieldChange(
                            "trigger.cron", "[\"0 2 * * *\"]", "[\"0 3 * * *\"]", false),
                        new FieldChange("paused", "false", "true", false)));
  }

  @Test
  void aScheduleThatTurnsOutNotToBeOursIsRejected() {
    RegistryRow row = row("a");
    DescribedSchedule stranger =
        new DescribedSchedule(
            "ns",
            "a",
            false,
            "",
            false,
            "Other",
            "tq",
            "a",
            Optional.empty(),
            "SKIP",
            Duration.ofHours(1),
            false,
            Optional.empty(),
            0,
            List.of(),
            0);
    assertThat(Resolution.resolve(verify(row), Optional.of(stranger)))
        .get()
        .isInstanceOf(Step.Reject.class);
  }

  @Test
  void aDeleteCandidateIsDeletedOnlyIfItStillExistsAndIsOurs() {
    RegistryRow row = row("a", "{\"enabled\": false}");
    Step.Verify delete =
        new Step.Verify("ns", "a", Optional.empty(), Optional.of(row), List.of("row disabled"));
    assertThat(Resolution.resolve(delete, Optional.of(asWritten(row("a"), false))))
        .get()
        .isInstanceOfSatisfying(
            Step.Delete.class, d -> assertThat(d.reason()).isEqualTo("row disabled"));
    assertThat(Resolution.resolve(delete, Optional.empty()))
        .get()
        .isInstanceOf(Step.NoSchedule.class);
    Step.Verify orphan =
        new Step.Verify(
            "ns", "b", Optional.empty(), Optional.empty(), List.of("no registry row b"));
    assertThat(Resolution.resolve(orphan, Optional.empty())).isEmpty();
  }
}
