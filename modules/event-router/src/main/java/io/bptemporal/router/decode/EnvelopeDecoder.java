package io.bptemporal.router.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.validation.SchemaVersion;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * A record's value to an envelope, step by step, each refusal precise: size limit, UTF-8, one JSON
 * document, the envelope contract ({@code contracts}: schema version, required fields, formats;
 * every violation with its JSON path, what was found and what is accepted).
 */
public final class EnvelopeDecoder {
  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  private final int maxBytes;

  public EnvelopeDecoder(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public Decoded decode(byte[] value) {
    if (value == null || value.length == 0) {
      return new Decoded.Rejected(
          DeadLetterReason.EMPTY,
          "the record has no value ("
              + (value == null ? "null, a tombstone" : "0 bytes")
              + "); accepted: an event envelope as UTF-8 JSON, docs/contracts.md#event-envelope");
    }
    if (value.length > maxBytes) {
      return new Decoded.Rejected(
          DeadLetterReason.TOO_LARGE,
          "the value is "
              + value.length
              + " bytes; accepted: at most "
              + maxBytes
              + " bytes (ROUTER_MAX_RECORD_BYTES); put large data elsewhere and reference it from"
              + " the payload");
    }
    String text;
    try {
      CharsetDecoder utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      text = utf8.decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return new Decoded.Rejected(
          DeadLetterReason.NOT_UTF8,
          "the value is not UTF-8: invalid byte sequence at byte offset "
              + firstInvalidUtf8Offset(value)
              + "; accepted: an event envelope as UTF-8 JSON");
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      return new Decoded.Rejected(
          DeadLetterReason.NOT_JSON,
          "the value starts with a byte order mark (EF BB BF); accepted: UTF-8 JSON without a BOM"
              + " (RFC 8259)");
    }
    JsonNode document;
    try {
      document = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return new Decoded.Rejected(
          DeadLetterReason.NOT_JSON,
          "$: is not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage()
              + "; accepted: one JSON object per record, without duplicate keys or trailing"
              + " content");
    }
    if (document == null || document.isMissingNode()) {
      return new Decoded.Rejected(
          DeadLetterReason.NOT_JSON,
          "$: the value is only whitespace; accepted: one JSON object per record");
    }
    ValidationResult<EventEnvelope> result =
        ContractValidator.validate(Contracts.EVENT_ENVELOPE, document);
    if (!result.valid()) {
      JsonNode declared = document.path("schema_version");
      boolean version =
          declared.isTextual()
              && SchemaVersion.parse(declared.asText()).map(v -> !v.readable()).orElse(false);
      return new Decoded.Rejected(
          version ? DeadLetterReason.UNSUPPORTED_VERSION : DeadLetterReason.INVALID_ENVELOPE,
          "envelope contract "
              + result.contract()
              + ": "
              + result.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")));
    }
    return new Decoded.Envelope(document, result.value().orElseThrow());
  }

  /** Where the first malformed UTF-8 sequence starts (for the reason). */
  static int firstInvalidUtf8Offset(byte[] value) {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(value);
    var out = java.nio.CharBuffer.allocate(value.length + 1);
    var result = utf8.decode(in, out, true);
    return result.isError() ? in.position() : value.length;
  }
}
