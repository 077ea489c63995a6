package io.bptemporal.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.tracing.Tracing;
import io.bptemporal.registry.routes.EventRoute;
import io.bptemporal.registry.routes.RouteParser;
import io.bptemporal.registry.routes.RouteRow;
import io.bptemporal.registry.routes.RouteTarget;
import io.bptemporal.router.deliver.Deliveries;
import io.bptemporal.router.deliver.DeliveryResult;
import io.bptemporal.router.deliver.RetryableDeliveryException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Routes, records and a recording {@link Deliveries} for the router's unit tests. */
public final class Fixtures {
  public static final RouteTarget TARGET =
      new RouteTarget("invoice-sync", "pipelines", "RunActivityWorkflow", "activities-tq", true);

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  public static EventRoute route(String id, String type, String filters, String delivery) {
    try {
      return RouteParser.parse(
          new RouteRow(id, type, JSON.readTree(filters), delivery, true, 1, Instant.EPOCH, TARGET));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String value) {
    return new ConsumerRecord<>(
        "bp.events",
        partition,
        offset,
        "k".getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  public static Tracing tracing() {
    return Tracing.start(
        TelemetryConfig.fromEnvironment(
            Environment.of(Map.<String, String>of()::get), "router-test"));
  }

  /** Records every request; can refuse the first {@code n} requests of an event as retryable. */
  public static final class RecordingDeliveries implements Deliveries {
    public final List<String> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();

    public RecordingDeliveries refuse(String eventId, int times) {
      refusals.put(eventId, new AtomicInteger(times));
      return this;
    }

    @Override
    public DeliveryResult deliver(EventRoute route, EventEnvelope envelope) {
      AtomicInteger left = refusals.get(envelope.eventId());
      if (left != null && left.getAndDecrement() > 0) {
        throw new RetryableDeliveryException("UNAVAILABLE: test", null);
      }
      String key = route.routeId() + ":" + envelope.eventId();
      boolean duplicate = accepted.contains(key);
      accepted.add(key);
      return duplicate ? DeliveryResult.DUPLICATE : DeliveryResult.STARTED;
    }
  }
}
