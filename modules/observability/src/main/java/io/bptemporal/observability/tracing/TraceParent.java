package io.bptemporal.observability.tracing;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an incoming trace continues from: the {@code trace_id} of an event envelope (32 lower-case
 * hex digits, as in W3C Trace Context) and, when the producer sent a whole {@code traceparent}
 * header, the producer's span id and sampled flag.
 *
 * @param traceId 32 hex digits, not all zero
 * @param parentSpanId 16 hex digits, not all zero, when known
 * @param sampled the producer's sampling decision; true when only a trace id was given
 */
public record TraceParent(String traceId, Optional<String> parentSpanId, boolean sampled) {
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern HEADER =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  public TraceParent {
    if (traceId == null || !TRACE_ID.matcher(traceId).matches() || traceId.equals(ZERO_TRACE)) {
      throw new IllegalArgumentException(
          "trace id '"
              + traceId
              + "' is not accepted: use 32 lower-case hex digits, "
              + "not all zero (W3C Trace Context)");
    }
    if (parentSpanId == null) {
      throw new IllegalArgumentException("parentSpanId must be Optional.empty() when unknown");
    }
    parentSpanId.ifPresent(
        span -> {
          if (!SPAN_ID.matcher(span).matches() || span.equals(ZERO_SPAN)) {
            throw new IllegalArgumentException(
                "span id '"
                    + span
                    + "' is not accepted: use 16 lower-case hex digits, "
                    + "not all zero");
          }
        });
  }

  /**
   * Reads an envelope's {@code trace_id}: either 32 hex digits or a whole W3C {@code traceparent}
   * ({@code 00-<trace id>-<span id>-<flags>}). Upper-case hex is accepted and lowered.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static TraceParent parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "trace id is empty: use 32 hex digits or a W3C traceparent "
              + "(00-<32 hex>-<16 hex>-<2 hex>)");
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (TRACE_ID.matcher(v).matches()) {
      return new TraceParent(v, Optional.empty(), true);
    }
    Matcher header = HEADER.matcher(v);
    if (header.matches()) {
      if (header.group(1).equals("ff")) {
        throw new IllegalArgumentException(
            "traceparent '" + value + "' has the invalid version ff");
      }
      int flags = Integer.parseInt(header.group(4), 16);
      return new TraceParent(header.group(2), Optional.of(header.group(3)), (flags & 1) == 1);
    }
    throw new IllegalArgumentException(
        "trace id '"
            + value
            + "' is not accepted: use 32 hex digits or a W3C "
            + "traceparent (00-<32 hex>-<16 hex>-<2 hex>)");
  }
}
