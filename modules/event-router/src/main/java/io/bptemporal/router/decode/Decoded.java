package io.bptemporal.router.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.event.EventEnvelope;
import java.util.Objects;

/** What a record's value turned out to be: a valid envelope, or the reason it is not one. */
public sealed interface Decoded {

  /**
   * @param document the envelope as JSON, which routes' filters are evaluated on
   * @param envelope the same, bound to the contract record
   */
  record Envelope(JsonNode document, EventEnvelope envelope) implements Decoded {
    public Envelope {
      Objects.requireNonNull(document, "document");
      Objects.requireNonNull(envelope, "envelope");
    }
  }

  /**
   * @param kind the fixed kind, for the metric and the header
   * @param reason what is wrong, where (JSON path, byte offset, line/column) and what is accepted
   */
  record Rejected(DeadLetterReason kind, String reason) implements Decoded {
    public Rejected {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
