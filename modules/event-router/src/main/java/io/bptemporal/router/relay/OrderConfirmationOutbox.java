package io.bptemporal.router.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The order saga's {@code notification_outbox}: one confirmation message per order, written in the
 * transaction that confirms the order. The row is not an envelope, so the relay builds one
 * (docs/event-router.md#egress-the-outbox-relay):
 *
 * <ul>
 *   <li>{@code event_id}: {@value #EVENT_ID_PREFIX}{@code <name-based UUID of the row's
 *       idempotency_key>} — {@code order.confirmation/<order_id>} is unique per order, so the same
 *       row always gives the same id, however often it is published;
 *   <li>{@code type} {@value #TYPE}, {@code source} {@value #SOURCE}, {@code subject} {@code
 *       order/<order_id>}, {@code occurred_at} the row's {@code created_at} (the confirmation's
 *       commit);
 *   <li>{@code payload}: {@code order_id}, {@code message_id}, {@code idempotency_key}, {@code
 *       recipient}, {@code template} and the stored {@code message} (order, customer, total,
 *       currency, payment and reservation ids).
 * </ul>
 */
public final class OrderConfirmationOutbox implements OutboxTable {
  public static final String TYPE = "order.confirmed";
  public static final String SOURCE = "bp/order-saga-worker";
  public static final String EVENT_ID_PREFIX = "order-confirmed:";

  /** A notification_outbox row as the relay reads it. */
  public record Notification(
      String messageId,
      String idempotencyKey,
      String orderId,
      String recipient,
      String template,
      String message,
      Instant createdAt) {}

  @Override
  public String table() {
    return "notification_outbox";
  }

  @Override
  public String idColumn() {
    return "message_id";
  }

  @Override
  public String markerColumn() {
    return "delivered_at";
  }

  @Override
  public String keySql() {
    return "'order/' || order_id";
  }

  @Override
  public String columns() {
    return "idempotency_key, order_id, recipient, template, payload::text as payload, created_at";
  }

  @Override
  public OutboxRow read(String rowId, String key, ResultSet row) throws SQLException {
    return event(
        key,
        new Notification(
            rowId,
            row.getString("idempotency_key"),
            row.getString("order_id"),
            row.getString("recipient"),
            row.getString("template"),
            row.getString("payload"),
            row.getTimestamp("created_at").toInstant()));
  }

  /** The event id of the confirmation stored under {@code idempotencyKey}. */
  public static String eventId(String idempotencyKey) {
    return EVENT_ID_PREFIX
        + UUID.nameUUIDFromBytes((TYPE + "/" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
  }

  /** The envelope of a confirmation row, or why there cannot be one. */
  public static OutboxRow event(String key, Notification row) {
    String where = "notification_outbox row " + row.messageId() + ": ";
    JsonNode message;
    try {
      message = TaskCreatedOutbox.JSON.readTree(row.message());
    } catch (JsonProcessingException e) {
      return new OutboxRow.Unpublishable(
          row.messageId(), key, where + "column payload is not JSON: " + e.getOriginalMessage());
    }
    if (message == null || !message.isObject()) {
      return new OutboxRow.Unpublishable(
          row.messageId(),
          key,
          where
              + "column payload is "
              + (message == null
                  ? "empty"
                  : message.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
              + "; accepted: a JSON object (the message)");
    }
    ObjectNode payload = TaskCreatedOutbox.JSON.createObjectNode();
    payload.put("order_id", row.orderId());
    payload.put("message_id", row.messageId());
    payload.put("idempotency_key", row.idempotencyKey());
    payload.put("recipient", row.recipient());
    payload.put("template", row.template());
    payload.set("message", message);
    EventEnvelope envelope =
        EventEnvelope.of(eventId(row.idempotencyKey()), TYPE, SOURCE, row.createdAt(), payload)
            .withSubject("order/" + row.orderId());
    ValidationResult<EventEnvelope> result =
        ContractValidator.validateRecord(Contracts.EVENT_ENVELOPE, envelope);
    if (!result.valid()) {
      return new OutboxRow.Unpublishable(
          row.messageId(),
          key,
          where
              + "the envelope built from it breaks the envelope contract "
              + result.contract()
              + ": "
              + result.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")));
    }
    return new OutboxRow.Ready(
        row.messageId(),
        key,
        envelope.eventId(),
        TYPE,
        TaskCreatedOutbox.bytes(result.value().orElseThrow()));
  }
}
