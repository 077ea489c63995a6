package io.bptemporal.contracts.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class WorkflowIdsTest {

  private static final Instant MIDNIGHT = Instant.parse("2026-11-21T00:00:00Z");
  private static final String LONGEST_ACTIVITY_ID = "a".repeat(100);

  @Test
  void idsAreTheDocumentedStrings() {
    // Golden values: other languages and stored history depend on these exact strings.
    assertThat(WorkflowIds.scheduledRun("nightly-export", MIDNIGHT))
        .isEqualTo("nightly-export:2026-11-21T00:00:00Z");
    assertThat(WorkflowIds.eventRun("invoice-sync", "0f8fad5b-d9cb-469f-a165-70867728950e"))
        .isEqualTo("invoice-sync:event:0f8fad5b-d9cb-469f-a165-70867728950e");
    assertThat(WorkflowIds.orderSaga("o-1001")).isEqualTo("order:o-1001");
    assertThat(WorkflowIds.dataPipeline("orders-daily-2026-11-21"))
        .isEqualTo("pipeline:orders-daily-2026-11-21");
    assertThat(WorkflowIds.schedule("nightly-export")).isEqualTo("nightly-export");
    assertThat(WorkflowIds.scheduleActionBase("nightly-export")).isEqualTo("nightly-export");
  }

  @Test
  void subjectEventsIdsEscapeTheSubjectIntoTemporalIdCharacters() {
    // Golden values: the router and every other sender derive the same ID.
    assertThat(WorkflowIds.subjectEvents("invoice-sync", "order/o-1001"))
        .isEqualTo("invoice-sync:subject:order_2Fo-1001");
    assertThat(WorkflowIds.subjectEvents("invoice-sync", "o-1001.v2"))
        .isEqualTo("invoice-sync:subject:o-1001.v2");
    assertThat(WorkflowIds.subjectEvents("invoice-sync", "a_b"))
        .isEqualTo("invoice-sync:subject:a_5Fb");
    assertThat(WorkflowIds.subjectEvents("invoice-sync", "tenant:acme/user 7"))
        .isEqualTo("invoice-sync:subject:tenant_3Aacme_2Fuser_207");
    assertThat(WorkflowIds.subjectEvents("invoice-sync", "kunde/müller"))
        .isEqualTo("invoice-sync:subject:kunde_2Fm_C3_BCller");
    // Escaping is one-to-one: the subjects that look alike once escaped stay apart.
    assertThat(WorkflowIds.subjectEvents("a", "x_2F"))
        .isNotEqualTo(WorkflowIds.subjectEvents("a", "x/"))
        .isEqualTo("a:subject:x_5F2F");
  }

  @Test
  void subjectEventsIdOfALongSubjectIsItsDigest() {
    String subject = "order/" + "x".repeat(249);
    String id = WorkflowIds.subjectEvents(LONGEST_ACTIVITY_ID, subject);
    assertThat(id)
        .startsWith(LONGEST_ACTIVITY_ID + ":subject-sha256:")
        .hasSize(100 + 16 + 64)
        .isEqualTo(WorkflowIds.subjectEvents(LONGEST_ACTIVITY_ID, subject));
    assertThat(TemporalIds.isValid(id)).isTrue();
    // 255 two-byte characters escape to 1530: still one valid ID each.
    assertThat(WorkflowIds.subjectEvents("a", "ü".repeat(255)))
        .isNotEqualTo(WorkflowIds.subjectEvents("a", "ü".repeat(254) + "ö"))
        .matches("a:subject-sha256:[0-9a-f]{64}");
    // The longest escaped form that still fits is used as is.
    String fits = "s".repeat(255 - "a:subject:".length());
    assertThat(WorkflowIds.subjectEvents("a", fits)).isEqualTo("a:subject:" + fits).hasSize(255);
    assertThat(WorkflowIds.subjectEvents("a", fits.substring(1) + "/"))
        .startsWith("a:subject-sha256:");
  }

  @Test
  void subjectEventsRefusesWhatTheEnvelopeRefuses() {
    assertThatThrownBy(() -> WorkflowIds.subjectEvents("invoice-sync", ""))
        .hasMessage(
            "subject '' is not valid; accepted: 1-255 characters naming the entity the event is"
                + " about, e.g. order/o-1001");
    assertThatThrownBy(() -> WorkflowIds.subjectEvents("invoice-sync", null))
        .hasMessageStartingWith("subject is missing");
    assertThatThrownBy(() -> WorkflowIds.subjectEvents("invoice-sync", "s".repeat(256)))
        .hasMessageContaining("is not valid");
    assertThat(WorkflowIds.subjectEvents("a", "😀".repeat(255)))
        .as("255 characters as JSON Schema counts them, 510 UTF-16 units")
        .startsWith("a:subject-sha256:");
    assertThatThrownBy(() -> WorkflowIds.subjectEvents("Invoice Sync", "order/o-1001"))
        .hasMessageStartingWith("activity_id 'Invoice Sync' is not valid");
  }

  @Test
  void scheduledRunIdDoesNotDependOnTheZoneTheTimeWasExpressedIn() {
    Instant berlinMidnight =
        ZonedDateTime.of(2026, 11, 21, 1, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant();
    Instant newYork =
        ZonedDateTime.of(2026, 11, 20, 19, 0, 0, 0, ZoneId.of("America/New_York")).toInstant();
    assertThat(WorkflowIds.scheduledRun("nightly-export", berlinMidnight))
        .isEqualTo(WorkflowIds.scheduledRun("nightly-export", newYork))
        .isEqualTo("nightly-export:2026-11-21T00:00:00Z");
    assertThat(WorkflowIds.scheduledRun(new ScheduledRun("nightly-export", MIDNIGHT)))
        .isEqualTo(WorkflowIds.scheduledRun("nightly-export", MIDNIGHT));
  }

  @Test
  void scheduledRunRefusesFractionsOfASecond() {
    assertThatThrownBy(() -> WorkflowIds.scheduledRun("nightly-export", MIDNIGHT.plusMillis(250)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "scheduled_for 2026-11-21T00:00:00.250Z of activity 'nightly-export' has a fraction of a second");
  }

  @Test
  void longestInputsStayWithinTemporalsIdLimitAndCharacters() {
    String longestEventId = "e".repeat(128);
    String longestOrder = "o".repeat(128);
    String longestPipeline = "p".repeat(200);
    String[] ids = {
      WorkflowIds.scheduledRun(LONGEST_ACTIVITY_ID, Instant.parse("9999-12-31T23:59:59Z")),
      WorkflowIds.eventRun(LONGEST_ACTIVITY_ID, longestEventId),
      WorkflowIds.orderSaga(longestOrder),
      WorkflowIds.dataPipeline(longestPipeline),
    };
    for (String id : ids) {
      assertThat(id.length()).as(id).isLessThanOrEqualTo(TemporalIds.MAX_LENGTH);
      assertThat(id).matches("[A-Za-z0-9._:-]+");
      assertThat(TemporalIds.isValid(id)).isTrue();
    }
    assertThat(ids[0]).hasSize(121);
    assertThat(ids[1]).hasSize(235);
  }

  @Test
  void invalidPartsAreRejectedNamingFieldValueAndFormat() {
    assertThatThrownBy(() -> WorkflowIds.scheduledRun("Nightly Export", MIDNIGHT))
        .hasMessage(
            "activity_id 'Nightly Export' is not valid; accepted: "
                + IdentifierFormat.ACTIVITY_ID.accepted());
    assertThatThrownBy(() -> WorkflowIds.orderSaga("o/1001"))
        .hasMessageStartingWith("order_id 'o/1001' is not valid; accepted: 1-128 characters");
    assertThatThrownBy(() -> WorkflowIds.eventRun("invoice-sync", "evt 1"))
        .hasMessageStartingWith("event_id 'evt 1' is not valid");
    assertThatThrownBy(() -> WorkflowIds.dataPipeline(null))
        .hasMessage("pipeline_id is missing; accepted: " + IdentifierFormat.PIPELINE_ID.accepted());
  }

  @Test
  void temporalIdCheckNamesLengthAndCharacters() {
    assertThat(TemporalIds.isValid("x".repeat(255))).isTrue();
    assertThat(TemporalIds.isValid("x".repeat(256))).isFalse();
    assertThat(TemporalIds.isValid("order:ö")).isFalse();
    assertThat(TemporalIds.isValid("a b")).isFalse();
    assertThat(TemporalIds.isValid("")).isFalse();
    assertThatThrownBy(() -> TemporalIds.check("workflow ID", "x".repeat(256)))
        .hasMessageEndingWith(
            "is not a valid Temporal ID (256 characters); accepted: " + TemporalIds.ACCEPTED);
  }

  @Test
  void scheduledRunIsReadBackFromBothSpellings() {
    ScheduledRun expected = new ScheduledRun("nightly-export", MIDNIGHT);
    assertThat(WorkflowIds.parseScheduledRun("nightly-export:2026-11-21T00:00:00Z"))
        .contains(expected);
    // What a Temporal Schedule names the run it starts for the same activity and time.
    assertThat(WorkflowIds.parseScheduledRun("nightly-export-2026-11-21T00:00:00Z"))
        .contains(expected);
    assertThat(
            WorkflowIds.parseScheduledRun(WorkflowIds.scheduledRun(LONGEST_ACTIVITY_ID, MIDNIGHT)))
        .contains(new ScheduledRun(LONGEST_ACTIVITY_ID, MIDNIGHT));
  }

  @Test
  void otherIdsAreNotMistakenForScheduledRuns() {
    assertThat(WorkflowIds.parseScheduledRun("order:o-1001")).isEmpty();
    assertThat(
            WorkflowIds.parseScheduledRun(
                "invoice-sync:event:0f8fad5b-d9cb-469f-a165-70867728950e"))
        .isEmpty();
    assertThat(WorkflowIds.parseScheduledRun("nightly-export:2026-11-21T00:00:00.5Z")).isEmpty();
    assertThat(WorkflowIds.parseScheduledRun("nightly-export_2026-11-21T00:00:00Z")).isEmpty();
    assertThat(WorkflowIds.parseScheduledRun("Nightly-2026-11-21T00:00:00Z")).isEmpty();
    assertThat(WorkflowIds.parseScheduledRun("nightly-export:2026-13-21T00:00:00Z")).isEmpty();
    assertThat(WorkflowIds.parseScheduledRun(null)).isEmpty();
  }

  @Test
  void taskKeysAreStableAndBelongToTheirRun() {
    ScheduledRun run = new ScheduledRun("nightly-export", MIDNIGHT);
    assertThat(TaskKeys.of(run, "export.partition", 3))
        .isEqualTo("nightly-export:2026-11-21T00:00:00Z/export.partition/3")
        .isEqualTo(
            TaskKeys.of(
                WorkflowIds.scheduledRun("nightly-export", MIDNIGHT), "export.partition", 3));
    assertThat(TaskKeys.of(WorkflowIds.eventRun("invoice-sync", "e-1"), "invoice", 0))
        .isEqualTo("invoice-sync:event:e-1/invoice/0");
    assertThatThrownBy(() -> TaskKeys.of(run, "Export", 0))
        .hasMessageStartingWith("kind 'Export' is not valid");
    assertThatThrownBy(() -> TaskKeys.of(run, "export", -1)).hasMessageContaining("is negative");
    assertThatThrownBy(() -> TaskKeys.of("no-run-key", "export", 0))
        .hasMessageStartingWith("run key 'no-run-key' is not valid");
  }

  @Test
  void namespacesAndTaskQueuesFollowServiceBoundaries() {
    assertThat(Namespaces.ALL)
        .extracting(NamespaceSpec::name)
        .containsExactly("default", "orders", "pipelines");
    assertThat(Namespaces.ORDERS.retention()).hasDays(30);
    assertThat(Namespaces.PIPELINES.retention()).hasDays(7);
    assertThat(Namespaces.DEFAULT.retention()).hasDays(3);
    assertThat(Namespaces.byName("orders")).contains(Namespaces.ORDERS);
    assertThat(Namespaces.byName("billing")).isEmpty();
    assertThat(Namespaces.ORDERS.forTenant("acme").name()).isEqualTo("acme-orders");
    assertThat(TaskQueues.ALL)
        .containsExactly("orders-tq", "pipelines-tq", "activities-tq")
        .allMatch(IdentifierFormat.TASK_QUEUE::matches);
    assertThatThrownBy(() -> new NamespaceSpec("orders", java.time.Duration.ofMinutes(30)))
        .hasMessageContaining("shorter than one hour");
    assertThatThrownBy(() -> Namespaces.ORDERS.forTenant("Acme Corp"))
        .hasMessageStartingWith("namespace 'Acme Corp' is not valid");
  }
}
