package io.bptemporal.contracts.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.io.Serial;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The JSON mapping of every contract record.
 *
 * <p>Records are written exactly as the Temporal SDK's default JSON payload converter writes them
 * ({@link JacksonJsonPayloadConverter#newDefaultObjectMapper()}): property names fixed by
 * annotations (snake_case), timestamps as RFC 3339 strings, no type information. Reading is where
 * the mappers differ:
 *
 * <ul>
 *   <li>{@link #newStrictObjectMapper()} — what every process binds wire payloads with. It binds
 *       only what the document says: an unknown field, a number where a string belongs (or the
 *       reverse), {@code 12.99} for an integer, a missing or {@code null} number, an enum in
 *       another case or as an ordinal, an epoch number or a timestamp without offset for an
 *       instant, duplicate keys — each is an error, never a default or a silently changed value.
 *   <li>{@link #newObjectMapper()} — the same, except that unknown and absent fields are left to
 *       the caller: used where a JSON Schema has already judged the document (it says which fields
 *       are required, and the versioning rule lets a newer minor version carry fields this reader
 *       does not know; an absent optional field gets its documented default) and for the platform's
 *       own stored JSON.
 * </ul>
 */
public final class ContractJson {

  private ContractJson() {}

  /** Strict binding: see the class comment. Thread-safe once configured; share one per process. */
  public static ObjectMapper newStrictObjectMapper() {
    ObjectMapper mapper = newObjectMapper();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // Without a schema to say which fields are required, a missing number must not become 0.
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    return mapper;
  }

  /**
   * Strict about values (types, numbers, enums, timestamps, duplicates); unknown fields are
   * ignored.
   */
  public static ObjectMapper newObjectMapper() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    // {"a":1,"a":2} is ambiguous (other parsers keep the first, Jackson the last): reject it.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // 12.99 must not become 12; an enum is its exact name.
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, false);
    mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    // No scalar coercion in either direction: "42" is not a number, 42 is not a string, 1 is not
    // true.
    for (LogicalType type :
        new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Enum)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    mapper.registerModule(
        new SimpleModule("bp-rfc3339-instants")
            .addDeserializer(Instant.class, new Rfc3339Instant()));
    return mapper;
  }

  /**
   * An {@link Instant} is read from an RFC 3339 string with an offset only ({@code Z} or {@code
   * +01:00}). The SDK's mapper also takes epoch numbers, whose unit (seconds? milliseconds?) a
   * client can get wrong.
   */
  static final class Rfc3339Instant extends StdScalarDeserializer<Instant> {
    @Serial private static final long serialVersionUID = 1L;

    Rfc3339Instant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant)
            context.handleUnexpectedToken(
                Instant.class,
                parser.currentToken(),
                parser,
                "a timestamp must be an RFC 3339 string with an offset, e.g. 2026-11-21T00:00:00Z, not %s",
                parser.currentToken());
      }
      String text = parser.getText();
      try {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant)
            context.handleWeirdStringValue(
                Instant.class,
                text,
                "not an RFC 3339 timestamp with an offset (e.g. 2026-11-21T00:00:00Z)");
      }
    }
  }
}
