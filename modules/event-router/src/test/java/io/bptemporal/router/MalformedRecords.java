package io.bptemporal.router;

import io.bptemporal.router.decode.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The malformed records of the router's tests: each a kind of mistake a producer makes, the bytes,
 * and what the dead-letter reason must say (its kind and words naming the place and what is
 * accepted). Shared by the decoder's unit test and the dead-letter IT on the real broker.
 */
public final class MalformedRecords {
  /** One malformed record. */
  public record Malformed(String name, byte[] value, DeadLetterReason kind, List<String> words) {
    @Override
    public String toString() {
      return name;
    }
  }

  private MalformedRecords() {}

  /** A valid envelope of type {@code type} with this id, as text, to break one field of. */
  public static String valid(String eventId, String type) {
    return "{\"event_id\": \""
        + eventId
        + "\", \"type\": \""
        + type
        + "\", \"source\": \"bp/tests\", \"occurred_at\": \"2026-11-21T10:00:00Z\","
        + " \"subject\": \"order/o-1\", \"schema_version\": \"1.0\", \"payload\": {\"n\": 1}}";
  }

  /** The kinds, with event ids prefixed by {@code prefix} (a run's own ids). */
  public static List<Malformed> all(String prefix, int maxBytes) {
    String ok = valid(prefix + "-ok", "order.placed");
    List<Malformed> all = new ArrayList<>();
    add(all, "empty value", new byte[0], DeadLetterReason.EMPTY, "0 bytes", "accepted:");
    add(
        all,
        "too large",
        ok.replace("{\"n\": 1}", "{\"blob\": \"" + "x".repeat(maxBytes) + "\"}")
            .getBytes(StandardCharsets.UTF_8),
        DeadLetterReason.TOO_LARGE,
        "accepted: at most " + maxBytes + " bytes");
    add(
        all,
        "invalid UTF-8",
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
        DeadLetterReason.NOT_UTF8,
        "byte offset 6",
        "accepted:");
    text(
        all,
        "truncated JSON",
        "{\"event_id\": \"e",
        DeadLetterReason.NOT_JSON,
        "$: is not valid JSON at line 1");
    text(
        all,
        "plain text",
        "hello world",
        DeadLetterReason.NOT_JSON,
        "$: is not valid JSON",
        "accepted: one JSON object");
    text(
        all,
        "two documents",
        ok + " " + ok,
        DeadLetterReason.NOT_JSON,
        "$: is not valid JSON",
        "trailing");
    text(
        all,
        "duplicate keys",
        ok.replace("\"source\": \"bp/tests\"", "\"source\": \"a\", \"source\": \"b\""),
        DeadLetterReason.NOT_JSON,
        "Duplicate field 'source'");
    text(all, "byte order mark", "\uFEFF" + ok, DeadLetterReason.NOT_JSON, "byte order mark");
    text(all, "only whitespace", "   \n ", DeadLetterReason.NOT_JSON, "only whitespace");
    text(all, "JSON array", "[1, 2]", DeadLetterReason.INVALID_ENVELOPE, "$: must be");
    text(all, "JSON string", "\"order.placed\"", DeadLetterReason.INVALID_ENVELOPE, "$: must be");
    text(
        all,
        "missing event_id",
        ok.replace("\"event_id\": \"" + prefix + "-ok\", ", ""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.event_id: is required",
        "accepted:");
    text(
        all,
        "missing type",
        ok.replace("\"type\": \"order.placed\", ", ""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.type: is required");
    text(
        all,
        "type not dotted lowercase",
        ok.replace("order.placed", "OrderPlaced"),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.type: does not have the accepted format",
        "dot-separated lowercase");
    text(
        all,
        "missing payload",
        ok.replace(", \"payload\": {\"n\": 1}", ""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.payload: is required");
    text(
        all,
        "payload an array",
        ok.replace("{\"n\": 1}", "[1]"),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.payload: must be");
    text(
        all,
        "occurred_at not RFC 3339",
        ok.replace("2026-11-21T10:00:00Z", "yesterday"),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.occurred_at",
        "RFC 3339");
    text(
        all,
        "unknown field",
        ok.replace("\"payload\"", "\"colour\": \"red\", \"payload\""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.colour: is not a known field");
    text(
        all,
        "unknown major schema_version",
        ok.replace("\"1.0\"", "\"2.0\""),
        DeadLetterReason.UNSUPPORTED_VERSION,
        "$.schema_version",
        "major version 1");
    text(
        all,
        "schema_version not MAJOR.MINOR",
        ok.replace("\"1.0\"", "\"v1\""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.schema_version: does not have the accepted format");
    text(
        all,
        "all-zero trace_id",
        ok.replace("\"payload\"", "\"trace_id\": \"" + "0".repeat(32) + "\", \"payload\""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.trace_id",
        "all-zero");
    text(
        all,
        "upper-case trace_id",
        ok.replace("\"payload\"", "\"trace_id\": \"" + "AB".repeat(16) + "\", \"payload\""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.trace_id: does not have the accepted format");
    text(
        all,
        "event_id with spaces",
        ok.replace(prefix + "-ok", "event one"),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.event_id: does not have the accepted format");
    text(
        all,
        "empty subject",
        ok.replace("\"order/o-1\"", "\"\""),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.subject: is shorter than 1");
    text(
        all,
        "source a number",
        ok.replace("\"bp/tests\"", "42"),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.source: must be");
    text(
        all,
        "payload null",
        ok.replace("{\"n\": 1}", "null"),
        DeadLetterReason.INVALID_ENVELOPE,
        "$.payload: must be");
    return all;
  }

  private static void text(
      List<Malformed> all, String name, String value, DeadLetterReason kind, String... words) {
    add(all, name, value.getBytes(StandardCharsets.UTF_8), kind, words);
  }

  private static void add(
      List<Malformed> all, String name, byte[] value, DeadLetterReason kind, String... words) {
    all.add(new Malformed(name, value, kind, List.of(words)));
  }
}
