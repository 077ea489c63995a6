package io.bptemporal.pipeline.transform;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.pipeline.source.FieldValues;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The SQL type of a target column, how a field value becomes it, and how it is bound in the upsert.
 * Conversions are deliberately narrow: text that looks like a number becomes one, but a decimal
 * with a fraction never becomes a BIGINT silently.
 */
public enum ColumnType {
  TEXT("text", Types.VARCHAR),
  BIGINT("bigint", Types.BIGINT),
  NUMERIC("numeric", Types.NUMERIC),
  BOOLEAN("boolean", Types.BOOLEAN),
  DATE("date", Types.DATE),
  TIMESTAMPTZ("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE),
  JSONB("jsonb", Types.VARCHAR);

  private final String sqlName;
  private final int jdbcType;

  ColumnType(String sqlName, int jdbcType) {
    this.sqlName = sqlName;
    this.jdbcType = jdbcType;
  }

  public String sqlName() {
    return sqlName;
  }

  /** The placeholder in the INSERT: JSON goes over the wire as text and is cast by the server. */
  public String placeholder() {
    return this == JSONB ? "?::jsonb" : "?";
  }

  /** What a value of this column looks like, for messages. */
  public String accepted() {
    return switch (this) {
      case TEXT -> "text";
      case BIGINT -> "a whole number from -9223372036854775808 to 9223372036854775807";
      case NUMERIC -> "a decimal number";
      case BOOLEAN -> "true or false";
      case DATE -> "a date yyyy-mm-dd";
      case TIMESTAMPTZ -> "an RFC 3339 timestamp with offset, e.g. 2026-11-21T08:15:30Z";
      case JSONB -> "any JSON value";
    };
  }

  /**
   * The value as this column's Java type; empty when it cannot be (the record is then rejected).
   */
  public Optional<Object> coerce(Object value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(
          switch (this) {
            case TEXT ->
                value instanceof String s ? s : value instanceof JsonNode ? null : value.toString();
            case BIGINT ->
                value instanceof Long l
                    ? l
                    : value instanceof Integer i
                        ? (Object) i.longValue()
                        : value instanceof BigDecimal d
                            ? (Object) d.longValueExact()
                            : value instanceof String s ? (Object) Long.parseLong(s.strip()) : null;
            case NUMERIC ->
                value instanceof BigDecimal d
                    ? d
                    : value instanceof Long l
                        ? BigDecimal.valueOf(l)
                        : value instanceof String s ? new BigDecimal(s.strip()) : null;
            case BOOLEAN ->
                value instanceof Boolean b
                    ? b
                    : value instanceof String s && (s.equals("true") || s.equals("false"))
                        ? (Object) Boolean.parseBoolean(s)
                        : null;
            case DATE ->
                value instanceof LocalDate d
                    ? d
                    : value instanceof String s ? LocalDate.parse(s.strip()) : null;
            case TIMESTAMPTZ ->
                value instanceof OffsetDateTime t
                    ? t.withOffsetSameInstant(ZoneOffset.UTC)
                    : value instanceof String s
                        ? OffsetDateTime.parse(s.strip()).withOffsetSameInstant(ZoneOffset.UTC)
                        : null;
            case JSONB -> FieldValues.toJson(value).toString();
          });
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Binds an already coerced value (or null). */
  public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value == null) {
      statement.setNull(index, jdbcType);
      return;
    }
    switch (this) {
      case TEXT, JSONB -> statement.setString(index, (String) value);
      case BIGINT -> statement.setLong(index, (Long) value);
      case NUMERIC -> statement.setBigDecimal(index, (BigDecimal) value);
      case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
      case DATE, TIMESTAMPTZ -> statement.setObject(index, value);
      default -> throw new IllegalStateException("unhandled column type " + this);
    }
  }
}
