package io.bptemporal.router.route;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.observability.tracing.TraceParent;
import io.bptemporal.observability.tracing.Tracing;
import io.bptemporal.registry.routes.Delivery;
import io.bptemporal.registry.routes.EventRoute;
import io.bptemporal.registry.routes.RouteTable;
import io.bptemporal.router.decode.DeadLetterReason;
import io.bptemporal.router.decode.Decoded;
import io.bptemporal.router.decode.EnvelopeDecoder;
import io.bptemporal.router.deliver.Deliveries;
import io.bptemporal.router.deliver.DeliveryResult;
import io.bptemporal.router.deliver.RejectedDeliveryException;
import io.bptemporal.router.metrics.RouterMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One record, start to finish: decode ({@link EnvelopeDecoder}), match the current routes, hand the
 * envelope to Temporal once per matching route. Within a trace continued from the record's {@code
 * traceparent} header or the envelope's {@code trace_id}: a {@code RouteEvent} span per record,
 * parent of the workflow starts it makes.
 *
 * <p>A retryable failure ({@link io.bptemporal.router.deliver.RetryableDeliveryException}) leaves
 * the method; the caller tries the same record again with the same {@link RecordAttempt}, so routes
 * already accepted are not asked twice.
 */
public final class RecordRouter {
  private static final Logger log = LoggerFactory.getLogger(RecordRouter.class);

  private final EnvelopeDecoder decoder;
  private final Supplier<RouteTable> routes;
  private final Deliveries deliveries;
  private final RouterMetrics metrics;
  private final Tracing tracing;
  private final Tracer tracer;

  public RecordRouter(
      EnvelopeDecoder decoder,
      Supplier<RouteTable> routes,
      Deliveries deliveries,
      RouterMetrics metrics,
      Tracing tracing) {
    this.decoder = decoder;
    this.routes = routes;
    this.deliveries = deliveries;
    this.metrics = metrics;
    this.tracing = tracing;
    this.tracer = tracing.openTelemetry().getTracer("io.bptemporal.router");
  }

  /**
   * @param attempt what earlier attempts at this record settled; updated here
   */
  public Handled handle(ConsumerRecord<byte[], byte[]> record, RecordAttempt attempt) {
    Decoded decoded = decoder.decode(record.value());
    if (decoded instanceof Decoded.Rejected rejected) {
      return new Handled.DeadLetter(rejected.kind(), rejected.reason());
    }
    Decoded.Envelope valid = (Decoded.Envelope) decoded;
    EventEnvelope envelope = valid.envelope();
    List<EventRoute> matched = routes.get().match(valid.document());
    if (matched.isEmpty()) {
      return new Handled.Unrouted();
    }
    Optional<TraceParent> parent = traceParent(record, envelope);
    try (Scope remote = parent.map(tracing::continueTrace).orElse(Scope.noop())) {
      Span span =
          tracer
              .spanBuilder("RouteEvent")
              .setSpanKind(SpanKind.CONSUMER)
              .setAttribute("messaging.destination.name", record.topic())
              .setAttribute(
                  "messaging.destination.partition.id", Integer.toString(record.partition()))
              .setAttribute("messaging.kafka.offset", record.offset())
              .setAttribute("bp.event_id", envelope.eventId())
              .setAttribute("bp.event_type", envelope.type())
              .startSpan();
      try (Scope inner = span.makeCurrent();
          MDC.MDCCloseable eventId = MDC.putCloseable("event_id", envelope.eventId())) {
        for (EventRoute route : matched) {
          if (attempt.settled(route.routeId())) {
            continue;
          }
          if (route.delivery() == Delivery.SIGNAL_WITH_START && envelope.subject().isEmpty()) {
            attempt.rejected(
                route.routeId(),
                DeadLetterReason.NO_SUBJECT,
                "route '"
                    + route.routeId()
                    + "' delivers SIGNAL_WITH_START to the subject's workflow, but $.subject is"
                    + " missing; accepted: an envelope with subject (1-255 characters naming the"
                    + " entity, e.g. order/o-1001), or a START route");
            continue;
          }
          try {
            DeliveryResult result = deliveries.deliver(route, envelope);
            metrics.request(result);
            attempt.accepted(route.routeId());
            log.debug(
                "event {} ({}) -> route {}: {}",
                envelope.eventId(),
                envelope.type(),
                route.routeId(),
                result);
          } catch (RejectedDeliveryException e) {
            attempt.rejected(route.routeId(), e.kind(), e.getMessage());
          }
        }
        if (!attempt.rejections().isEmpty()) {
          span.setStatus(StatusCode.ERROR, attempt.firstKind().label());
          return new Handled.DeadLetter(
              attempt.firstKind(), String.join("; ", attempt.rejections()));
        }
        return new Handled.Routed(matched.size());
      } catch (RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        throw e;
      } finally {
        span.end();
      }
    }
  }

  /** The producer's full traceparent header when it sent one, else the envelope's trace_id. */
  static Optional<TraceParent> traceParent(
      ConsumerRecord<byte[], byte[]> record, EventEnvelope envelope) {
    Header header = record.headers().lastHeader("traceparent");
    if (header != null && header.value() != null) {
      try {
        TraceParent parsed = TraceParent.parse(new String(header.value(), StandardCharsets.UTF_8));
        if (envelope.traceId().isEmpty() || envelope.traceId().get().equals(parsed.traceId())) {
          return Optional.of(parsed);
        }
      } catch (IllegalArgumentException ignored) {
        // A broken header does not stop the event: the envelope's trace_id is the contract.
      }
    }
    return envelope.traceId().map(TraceParent::parse);
  }
}
