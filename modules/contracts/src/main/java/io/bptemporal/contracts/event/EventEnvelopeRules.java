package io.bptemporal.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.Violations;

/** What the envelope schema cannot say. Usable on an envelope nested in another document. */
public final class EventEnvelopeRules implements DocumentRules {

  static final String INVALID_TRACE_ID = "00000000000000000000000000000000";

  private final JsonPath at;

  public EventEnvelopeRules() {
    this(JsonPath.root());
  }

  /** Rules for an envelope found at {@code at} inside another document. */
  public EventEnvelopeRules(JsonPath at) {
    this.at = at;
  }

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonNode traceId = document.path("trace_id");
    if (traceId.isTextual() && traceId.asText().equals(INVALID_TRACE_ID)) {
      // W3C Trace Context: the all-zero trace ID means "no trace" and must not be propagated.
      violations.add(
          at.property("trace_id"),
          "is the all-zero trace ID, which W3C Trace Context defines as invalid",
          "32 lowercase hex digits, not all zero; leave trace_id out when there is no trace",
          traceId);
    }
  }
}
