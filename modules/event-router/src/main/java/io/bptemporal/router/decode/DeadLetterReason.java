package io.bptemporal.router.decode;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Locale;

/**
 * Why a record went to the dead-letter topic, as a fixed set: the {@code reason} label of {@code
 * bp_router_dead_lettered_total} and the {@code bp-dlq-reason-kind} header. The precise reason
 * (what, where, what is accepted) is the {@code bp-dlq-reason} header.
 */
public enum DeadLetterReason implements MetricLabel {
  /** No value at all (a tombstone or an empty record). */
  EMPTY,
  /** The value is larger than ROUTER_MAX_RECORD_BYTES. */
  TOO_LARGE,
  /** The value is not UTF-8 text. */
  NOT_UTF8,
  /** The text is not one JSON document (syntax, duplicate keys, trailing content). */
  NOT_JSON,
  /** The envelope declares a schema_version whose major version this router cannot read. */
  UNSUPPORTED_VERSION,
  /** The JSON breaks the envelope contract (required fields, formats, types). */
  INVALID_ENVELOPE,
  /** A SIGNAL_WITH_START route matched an envelope without {@code subject}. */
  NO_SUBJECT,
  /** Temporal refused a start or signal for a reason waiting does not cure (invalid argument). */
  REJECTED_BY_TEMPORAL;

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
