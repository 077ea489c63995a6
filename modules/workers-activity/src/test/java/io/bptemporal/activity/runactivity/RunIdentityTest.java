package io.bptemporal.activity.runactivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunIdentityTest {
  private static final Instant AT = Instant.parse("2026-11-21T00:00:00Z");

  private static RunActivityRequest fromSchedule() {
    return new RunActivityRequest(
        "nightly-export", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void aRequestsScheduledTimeIsTheRun() {
    RunIdentity run =
        RunIdentity.resolve(
            RunActivityRequest.scheduled("nightly-export", AT), "anything", Optional.empty());

    assertThat(run.runKey()).isEqualTo("nightly-export:2026-11-21T00:00:00Z");
    assertThat(run.origin()).isEqualTo(RunIdentity.Origin.REQUEST);
  }

  @Test
  void aScheduleStartedRunTakesItsTimeFromTheSearchAttributeOrElseFromItsWorkflowId() {
    RunIdentity byAttribute =
        RunIdentity.resolve(fromSchedule(), "nightly-export-2026-11-21T00:00:00Z", Optional.of(AT));
    RunIdentity byId =
        RunIdentity.resolve(
            fromSchedule(), "nightly-export-2026-11-21T00:00:00Z", Optional.empty());

    assertThat(byAttribute.runKey()).isEqualTo("nightly-export:2026-11-21T00:00:00Z");
    assertThat(byAttribute.origin()).isEqualTo(RunIdentity.Origin.SCHEDULE_ATTRIBUTE);
    assertThat(byId.runKey()).isEqualTo(byAttribute.runKey());
    assertThat(byId.origin()).isEqualTo(RunIdentity.Origin.WORKFLOW_ID);
  }

  @Test
  void aManualTriggerWithAFractionOfASecondIsNamedAfterTheWholeSecond() {
    RunIdentity run =
        RunIdentity.resolve(
            fromSchedule(),
            "nightly-export-2026-11-21T00:00:00Z",
            Optional.of(Instant.parse("2026-11-21T00:00:00.734Z")));

    assertThat(run.scheduledFor()).isEqualTo(AT);
    assertThat(run.origin()).isEqualTo(RunIdentity.Origin.WORKFLOW_ID);
  }

  @Test
  void aRunWithNothingToGoOnIsRefusedSayingWhatIsAccepted() {
    assertThatThrownBy(() -> RunIdentity.resolve(fromSchedule(), "manual-run-1", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has neither scheduled_for nor trigger_event")
        .hasMessageContaining(
            "workflow ID 'manual-run-1' is neither <activity_id>-<time> nor <activity_id>:<time>")
        .hasMessageContaining("accepted: scheduled_for (a whole second)");
  }

  @Test
  void aScheduleOfAnotherActivityIsRefused() {
    assertThatThrownBy(
            () ->
                RunIdentity.resolve(
                    fromSchedule(), "invoice-sync-2026-11-21T00:00:00Z", Optional.of(AT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names activity 'invoice-sync'");
  }

  @Test
  void anEventRunIsKeyedByItsEvent() {
    EventEnvelope event =
        EventEnvelope.of(
            "e-1",
            "order.placed",
            "bp/orders-saga",
            Instant.parse("2026-11-21T08:15:30.250Z"),
            Definitions.json("{}"));

    RunIdentity run =
        RunIdentity.resolve(
            RunActivityRequest.triggeredBy("invoice-sync", event), "x", Optional.empty());

    assertThat(run.runKey()).isEqualTo("invoice-sync:event:e-1");
    assertThat(run.scheduledFor()).isEqualTo(event.occurredAt());
  }

  @Test
  void aCompressedWindowMustEndAtTheRunsTime() {
    CompressedWindow wrong =
        new CompressedWindow(
            Instant.parse("2026-11-19T00:00:00Z"), Instant.parse("2026-11-20T00:00:00Z"), 2);
    RunActivityRequest request =
        new RunActivityRequest(
            "nightly-export",
            Optional.of(AT),
            Optional.empty(),
            Optional.of(wrong),
            Optional.empty());

    assertThatThrownBy(() -> RunIdentity.resolve(request, "x", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "compressed_window.missed_to 2026-11-20T00:00:00Z of run nightly-export:2026-11-21T00:00:00Z"
                + " differs from its scheduled time");
  }

  @Test
  void aScheduledTimeWithAFractionIsRefusedNotRounded() {
    assertThatThrownBy(
            () ->
                RunIdentity.resolve(
                    RunActivityRequest.scheduled(
                        "nightly-export", Instant.parse("2026-11-21T00:00:00.5Z")),
                    "x",
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has a fraction of a second");
  }
}
