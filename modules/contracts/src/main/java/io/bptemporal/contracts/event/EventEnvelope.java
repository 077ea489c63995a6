package io.bptemporal.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.validation.SchemaVersion;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The envelope every event carries, whatever its payload. Schema: {@code event-envelope/v1.json}.
 *
 * @param eventId unique per event; a consumer that sees the same event_id twice has seen one event
 * @param type what happened, dot-separated, e.g. {@code order.placed}; an incompatible payload
 *     change gets a new type ({@code order.placed.v2}), not a new schema_version
 * @param source who emitted it, e.g. {@code bp/orders-saga}
 * @param occurredAt when it happened (not when it was sent), RFC 3339
 * @param subject the entity the event is about, e.g. {@code order/o-1001}
 * @param traceId W3C trace ID (32 lowercase hex digits) of the trace that produced the event
 * @param schemaVersion version of this envelope contract, {@code MAJOR.MINOR}, see {@link
 *     SchemaVersion}
 * @param payload the event's data, a JSON object whose shape is defined by {@code type}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record EventEnvelope(
    String eventId,
    String type,
    String source,
    Instant occurredAt,
    Optional<String> subject,
    Optional<String> traceId,
    String schemaVersion,
    ObjectNode payload) {

  public EventEnvelope {
    Objects.requireNonNull(eventId, "event_id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(occurredAt, "occurred_at");
    subject = Objects.requireNonNullElse(subject, Optional.empty());
    traceId = Objects.requireNonNullElse(traceId, Optional.empty());
    Objects.requireNonNull(schemaVersion, "schema_version");
    // Copied in and out: a record that hands out its mutable tree would not be a value.
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
  }

  /** A new envelope of the current schema version without subject or trace. */
  public static EventEnvelope of(
      String eventId, String type, String source, Instant occurredAt, ObjectNode payload) {
    return new EventEnvelope(
        eventId,
        type,
        source,
        occurredAt,
        Optional.empty(),
        Optional.empty(),
        SchemaVersion.CURRENT.toString(),
        payload);
  }

  public EventEnvelope withSubject(String newSubject) {
    return new EventEnvelope(
        eventId,
        type,
        source,
        occurredAt,
        Optional.of(newSubject),
        traceId,
        schemaVersion,
        payload);
  }

  public EventEnvelope withTraceId(String newTraceId) {
    return new EventEnvelope(
        eventId,
        type,
        source,
        occurredAt,
        subject,
        Optional.of(newTraceId),
        schemaVersion,
        payload);
  }

  @Override
  public ObjectNode payload() {
    return payload.deepCopy();
  }
}
