package io.bptemporal.router.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Collectors;

/**
 * The activity worker's {@code task_outbox}: each row holds its TaskCreated envelope as written, in
 * the task's transaction ({@code event_id} = the envelope's, derived from the task key). The relay
 * publishes it unchanged in meaning — read back through the envelope contract and written as the
 * contract's JSON — keyed by its subject ({@code task/<task_key>}).
 */
public final class TaskCreatedOutbox implements OutboxTable {
  static final ObjectMapper JSON = ContractJson.newObjectMapper();

  @Override
  public String table() {
    return "task_outbox";
  }

  @Override
  public String idColumn() {
    return "event_id";
  }

  @Override
  public String markerColumn() {
    return "published_at";
  }

  @Override
  public String keySql() {
    return "coalesce(envelope->>'subject', event_id)";
  }

  @Override
  public String columns() {
    return "envelope::text as envelope";
  }

  @Override
  public OutboxRow read(String rowId, String key, ResultSet row) throws SQLException {
    return event(rowId, key, row.getString("envelope"));
  }

  /** The stored envelope of row {@code eventId} as a record to publish, or why it cannot be. */
  public static OutboxRow event(String eventId, String key, String stored) {
    ValidationResult<EventEnvelope> result = ContractValidator.validateEnvelope(stored);
    if (!result.valid()) {
      return new OutboxRow.Unpublishable(
          eventId,
          key,
          "task_outbox row "
              + eventId
              + ": column envelope breaks the envelope contract "
              + result.contract()
              + ": "
              + result.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")));
    }
    EventEnvelope envelope = result.value().orElseThrow();
    if (!envelope.eventId().equals(eventId)) {
      return new OutboxRow.Unpublishable(
          eventId,
          key,
          "task_outbox row "
              + eventId
              + ": $.event_id of column envelope is \""
              + envelope.eventId()
              + "\"; accepted: the row's event_id (consumers dedupe by it)");
    }
    return new OutboxRow.Ready(eventId, key, eventId, envelope.type(), bytes(envelope));
  }

  static byte[] bytes(EventEnvelope envelope) {
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write envelope " + envelope.eventId(), e);
    }
  }
}
