package io.bptemporal.router.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How outbox rows become the envelopes the relay publishes (no database, no broker). */
class OutboxEnvelopesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String stored(String eventId, String type) {
    return "{\"event_id\": \""
        + eventId
        + "\", \"type\": \""
        + type
        + "\", \"source\": \"bp/activity-worker\", \"occurred_at\": \"2026-11-21T10:00:00Z\","
        + " \"subject\": \"task/a:1/send/0\", \"schema_version\": \"1.0\","
        + " \"payload\": {\"task_key\": \"a:1/send/0\"}}";
  }

  @Test
  void aStoredTaskCreatedEnvelopeIsPublishedAsTheContractsJsonUnderItsOwnEventId()
      throws Exception {
    OutboxRow row =
        TaskCreatedOutbox.event(
            "task-created:1", "task/a:1/send/0", stored("task-created:1", "task.created"));

    assertThat(row).isInstanceOf(OutboxRow.Ready.class);
    OutboxRow.Ready ready = (OutboxRow.Ready) row;
    assertThat(ready.eventId()).isEqualTo("task-created:1");
    assertThat(ready.type()).isEqualTo("task.created");
    assertThat(ready.key()).isEqualTo("task/a:1/send/0");
    String value = new String(ready.value(), StandardCharsets.UTF_8);
    ValidationResult<EventEnvelope> read = ContractValidator.validateEnvelope(value);
    assertThat(read.valid()).as(value).isTrue();
    EventEnvelope envelope = read.value().orElseThrow();
    assertThat(envelope.subject()).contains("task/a:1/send/0");
    assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    assertThat(envelope.payload().path("task_key").asText()).isEqualTo("a:1/send/0");
  }

  @Test
  void aStoredEnvelopeThatBreaksTheContractIsNotPublishedAndTheReasonNamesRowAndPath() {
    OutboxRow row =
        TaskCreatedOutbox.event("task-created:2", "k", stored("task-created:2", "TaskCreated"));

    assertThat(row).isInstanceOf(OutboxRow.Unpublishable.class);
    assertThat(((OutboxRow.Unpublishable) row).problem())
        .contains("task_outbox row task-created:2", "$.type", "TaskCreated");
  }

  @Test
  void aStoredEnvelopeWithAnotherEventIdThanItsRowIsNotPublished() {
    OutboxRow row =
        TaskCreatedOutbox.event("task-created:3", "k", stored("task-created:9", "task.created"));

    assertThat(row).isInstanceOf(OutboxRow.Unpublishable.class);
    assertThat(((OutboxRow.Unpublishable) row).problem())
        .contains("$.event_id", "\"task-created:9\"", "the row's event_id");
  }

  @Test
  void storedTextThatIsNotJsonIsNotPublished() {
    OutboxRow row = TaskCreatedOutbox.event("task-created:4", "k", "{\"event_id\": ");

    assertThat(row).isInstanceOf(OutboxRow.Unpublishable.class);
  }

  private static OrderConfirmationOutbox.Notification notification(String orderId, String message) {
    return new OrderConfirmationOutbox.Notification(
        "msg_0123456789abcdef",
        "order.confirmation/" + orderId,
        orderId,
        "c-7",
        "order-confirmation",
        message,
        Instant.parse("2026-11-21T10:00:01.250Z"));
  }

  @Test
  void anOrderConfirmationBecomesAnOrderConfirmedEnvelopeOfItsOrder() throws Exception {
    OutboxRow row =
        OrderConfirmationOutbox.event(
            "order/o-1001",
            notification("o-1001", "{\"order_id\": \"o-1001\", \"total_cents\": 4200}"));

    assertThat(row).isInstanceOf(OutboxRow.Ready.class);
    OutboxRow.Ready ready = (OutboxRow.Ready) row;
    assertThat(ready.rowId()).isEqualTo("msg_0123456789abcdef");
    assertThat(ready.key()).isEqualTo("order/o-1001");
    assertThat(ready.type()).isEqualTo("order.confirmed");
    String value = new String(ready.value(), StandardCharsets.UTF_8);
    ValidationResult<EventEnvelope> read = ContractValidator.validateEnvelope(value);
    assertThat(read.valid()).as(value).isTrue();
    EventEnvelope envelope = read.value().orElseThrow();
    assertThat(envelope.eventId()).isEqualTo(ready.eventId()).startsWith("order-confirmed:");
    assertThat(envelope.type()).isEqualTo("order.confirmed");
    assertThat(envelope.source()).isEqualTo("bp/order-saga-worker");
    assertThat(envelope.subject()).contains("order/o-1001");
    assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-21T10:00:01.250Z"));
    assertThat(envelope.schemaVersion()).isEqualTo("1.0");
    JsonNode payload = JSON.readTree(value).path("payload");
    assertThat(payload.path("order_id").asText()).isEqualTo("o-1001");
    assertThat(payload.path("message_id").asText()).isEqualTo("msg_0123456789abcdef");
    assertThat(payload.path("idempotency_key").asText()).isEqualTo("order.confirmation/o-1001");
    assertThat(payload.path("recipient").asText()).isEqualTo("c-7");
    assertThat(payload.path("template").asText()).isEqualTo("order-confirmation");
    assertThat(payload.path("message").path("total_cents").asLong()).isEqualTo(4200);
  }

  @Test
  void theConfirmationsEventIdIsStableForItsIdempotencyKeyAndDiffersBetweenOrders() {
    String first = OrderConfirmationOutbox.eventId("order.confirmation/o-1");
    assertThat(OrderConfirmationOutbox.eventId("order.confirmation/o-1")).isEqualTo(first);
    assertThat(OrderConfirmationOutbox.eventId("order.confirmation/o-2")).isNotEqualTo(first);
    // Within the envelope contract's event_id format.
    assertThat(first).matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    OutboxRow.Ready again =
        (OutboxRow.Ready)
            OrderConfirmationOutbox.event("order/o-1", notification("o-1", "{\"a\": 1}"));
    assertThat(again.eventId()).isEqualTo(first);
  }

  @Test
  void aConfirmationWhosePayloadIsNotAnObjectIsNotPublished() {
    OutboxRow row = OrderConfirmationOutbox.event("order/o-2", notification("o-2", "[1, 2]"));

    assertThat(row).isInstanceOf(OutboxRow.Unpublishable.class);
    assertThat(((OutboxRow.Unpublishable) row).problem())
        .contains("notification_outbox row msg_0123456789abcdef", "column payload is array");
  }

  @Test
  void aRecordLargerThanTheBrokersLimitIsNotPublished() {
    byte[] big = new byte[OutboxRelay.MAX_RECORD_BYTES];
    OutboxRow row =
        OutboxRelay.checkSize(new OutboxRow.Ready("e-1", "task/x", "e-1", "task.created", big));

    assertThat(row).isInstanceOf(OutboxRow.Unpublishable.class);
    assertThat(((OutboxRow.Unpublishable) row).problem())
        .contains("row e-1", "at most " + OutboxRelay.MAX_RECORD_BYTES);
    OutboxRow small = new OutboxRow.Ready("e-2", "task/x", "e-2", "task.created", new byte[1000]);
    assertThat(OutboxRelay.checkSize(small)).isSameAs(small);
  }
}
