package io.bptemporal.pipeline.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Map;

/**
 * The values a {@link SourceRecord} carries, and their JSON form (quarantine rows, raw text of
 * database rows, messages). Temporal values are written in ISO-8601, numbers exactly.
 */
public final class FieldValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

  private FieldValues() {}

  /**
   * A JSON scalar or tree as a field value: text, Long or BigDecimal, Boolean, null, or the node
   * itself.
   */
  public static Object fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong()
          ? (Object) node.longValue()
          : new BigDecimal(node.bigIntegerValue());
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    return node.deepCopy();
  }

  public static JsonNode toJson(Object value) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof JsonNode node) {
      return node.deepCopy();
    }
    if (value instanceof String s) {
      return JSON.textNode(s);
    }
    if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return JSON.numberNode(((Number) value).longValue());
    }
    if (value instanceof BigInteger i) {
      return JSON.numberNode(i);
    }
    if (value instanceof BigDecimal d) {
      return JSON.numberNode(d);
    }
    if (value instanceof Double || value instanceof Float) {
      return JSON.numberNode(new BigDecimal(value.toString()));
    }
    if (value instanceof TemporalAccessor) {
      return JSON.textNode(value.toString());
    }
    return JSON.textNode(value.toString());
  }

  public static ObjectNode toJson(Map<String, Object> fields) {
    ObjectNode object = JSON.objectNode();
    fields.forEach((name, value) -> object.set(name, toJson(value)));
    return object;
  }

  /**
   * A short rendering for messages: strings quoted, everything else as JSON, cut after 120
   * characters.
   */
  public static String show(Object value) {
    String text = toJson(value).toString();
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}
