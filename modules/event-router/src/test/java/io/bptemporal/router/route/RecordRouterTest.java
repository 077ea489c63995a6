package io.bptemporal.router.route;

import static io.bptemporal.router.Fixtures.record;
import static io.bptemporal.router.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.registry.routes.RouteTable;
import io.bptemporal.router.Fixtures;
import io.bptemporal.router.MalformedRecords;
import io.bptemporal.router.decode.DeadLetterReason;
import io.bptemporal.router.decode.EnvelopeDecoder;
import io.bptemporal.router.deliver.RetryableDeliveryException;
import io.bptemporal.router.metrics.RouterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordRouterTest {
  private final Fixtures.RecordingDeliveries deliveries = new Fixtures.RecordingDeliveries();
  private final RouteTable table =
      new RouteTable(
          List.of(
              route(
                  "a-de",
                  "order.placed",
                  "[{\"path\": \"$.payload.country\", \"equals\": \"DE\"}]",
                  "START"),
              route("b-all", "order.placed", "[]", "START"),
              route("c-subject", "order.shipped", "[]", "SIGNAL_WITH_START")),
          List.of());
  private final RecordRouter router =
      new RecordRouter(
          new EnvelopeDecoder(4096),
          () -> table,
          deliveries,
          new RouterMetrics(new SimpleMeterRegistry()),
          Fixtures.tracing());

  private static String envelope(String id, String type, String payload) {
    return MalformedRecords.valid(id, type).replace("{\"n\": 1}", payload);
  }

  @Test
  void everyMatchingRouteIsAskedOnceInRouteIdOrder() {
    Handled handled =
        router.handle(
            record(0, 0, envelope("e1", "order.placed", "{\"country\": \"DE\"}")),
            new RecordAttempt());
    assertThat(handled).isEqualTo(new Handled.Routed(2));
    assertThat(deliveries.accepted).containsExactly("a-de:e1", "b-all:e1");

    router.handle(
        record(0, 1, envelope("e2", "order.placed", "{\"country\": \"AT\"}")), new RecordAttempt());
    assertThat(deliveries.accepted).endsWith("b-all:e2");
  }

  @Test
  void anEnvelopeNoRouteTakesIsUnrouted() {
    assertThat(
            router.handle(record(0, 0, envelope("e1", "invoice.paid", "{}")), new RecordAttempt()))
        .isEqualTo(new Handled.Unrouted());
    assertThat(deliveries.accepted).isEmpty();
  }

  @Test
  void aMalformedRecordIsADeadLetterWithItsReason() {
    Handled handled = router.handle(record(0, 0, "{\"event_id\": 1"), new RecordAttempt());
    assertThat(handled).isInstanceOf(Handled.DeadLetter.class);
    assertThat(((Handled.DeadLetter) handled).kind()).isEqualTo(DeadLetterReason.NOT_JSON);
  }

  @Test
  void aSignalRouteNeedsASubject() {
    String noSubject =
        envelope("e1", "order.shipped", "{}").replace("\"subject\": \"order/o-1\", ", "");
    Handled handled = router.handle(record(0, 0, noSubject), new RecordAttempt());
    assertThat(handled).isInstanceOf(Handled.DeadLetter.class);
    Handled.DeadLetter dead = (Handled.DeadLetter) handled;
    assertThat(dead.kind()).isEqualTo(DeadLetterReason.NO_SUBJECT);
    assertThat(dead.reason()).contains("route 'c-subject'", "$.subject is missing", "accepted:");
  }

  @Test
  void aRetryAsksOnlyTheRoutesNotAcceptedYet() {
    RecordAttempt attempt = new RecordAttempt();
    var rec = record(0, 0, envelope("e9", "order.placed", "{\"country\": \"DE\"}"));
    deliveries.refuse("e9", 1);
    assertThatThrownBy(() -> router.handle(rec, attempt))
        .isInstanceOf(RetryableDeliveryException.class);
    assertThat(router.handle(rec, attempt)).isEqualTo(new Handled.Routed(2));
    assertThat(deliveries.accepted).containsExactly("a-de:e9", "b-all:e9");
  }

  @Test
  void theTraceContinuesFromTheHeaderOrTheEnvelope() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    var withId =
        record(
            0,
            0,
            envelope("e1", "order.placed", "{}")
                .replace("\"payload\"", "\"trace_id\": \"" + traceId + "\", \"payload\""));
    var envelope =
        ((io.bptemporal.router.decode.Decoded.Envelope)
                new EnvelopeDecoder(4096).decode(withId.value()))
            .envelope();
    assertThat(RecordRouter.traceParent(withId, envelope))
        .hasValueSatisfying(
            p -> {
              assertThat(p.traceId()).isEqualTo(traceId);
              assertThat(p.parentSpanId()).isEmpty();
            });
    withId
        .headers()
        .add(
            "traceparent",
            ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
    assertThat(RecordRouter.traceParent(withId, envelope))
        .hasValueSatisfying(p -> assertThat(p.parentSpanId()).contains("00f067aa0ba902b7"));
  }
}
