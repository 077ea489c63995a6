package io.bptemporal.router.kafka;

import static io.bptemporal.router.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.registry.routes.RouteTable;
import io.bptemporal.router.Fixtures;
import io.bptemporal.router.MalformedRecords;
import io.bptemporal.router.decode.EnvelopeDecoder;
import io.bptemporal.router.metrics.RouterMetrics;
import io.bptemporal.router.route.RecordRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop against Kafka's own mock consumer and producer: order within a partition while
 * a record waits for Temporal, commit only of handled records, dead letters with the original bytes
 * and the source coordinates.
 */
class RouterServiceTest {
  private static final TopicPartition P0 = new TopicPartition("bp.events", 0);
  private static final TopicPartition P1 = new TopicPartition("bp.events", 1);

  /** Kafka's mock returns at once; like the real consumer, an empty poll waits a little. */
  private static final class PacedConsumer extends MockConsumer<byte[], byte[]> {
    PacedConsumer() {
      super("earliest");
    }

    @Override
    public synchronized org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> poll(
        Duration timeout) {
      var records = super.poll(timeout);
      if (records.isEmpty()) {
        try {
          wait(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }
  }

  private final MockConsumer<byte[], byte[]> consumer = new PacedConsumer();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final Fixtures.RecordingDeliveries deliveries = new Fixtures.RecordingDeliveries();
  private final RouterMetrics metrics = new RouterMetrics(new SimpleMeterRegistry());
  private final RouterService service =
      new RouterService(
          consumer,
          List.of("bp.events"),
          new RecordRouter(
              new EnvelopeDecoder(4096),
              () -> new RouteTable(List.of(route("all", "order.placed", "[]", "START")), List.of()),
              deliveries,
              metrics,
              Fixtures.tracing()),
          new DeadLetterWriter(producer, "bp.events.dlq", 5_000),
          metrics,
          Duration.ofMillis(400),
          Duration.ofSeconds(5));

  private static String event(String id) {
    return MalformedRecords.valid(id, "order.placed");
  }

  private void assign() {
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(P0, P1));
          consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
          consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
        });
  }

  private void add(TopicPartition partition, long offset, String value) {
    consumer.schedulePollTask(
        () ->
            consumer.addRecord(
                new ConsumerRecord<>(
                    partition.topic(),
                    partition.partition(),
                    offset,
                    "k".getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))));
  }

  private long committed(TopicPartition partition) {
    var offsets = consumer.committed(java.util.Set.of(partition));
    return offsets.get(partition) == null ? -1 : offsets.get(partition).offset();
  }

  @Test
  void aWaitingRecordHoldsItsPartitionButNotTheOthersAndNothingIsSkipped() throws Exception {
    deliveries.refuse("p0-b", 3);
    assign();
    add(P0, 0, event("p0-a"));
    add(P0, 1, event("p0-b"));
    add(P0, 2, event("p0-c"));
    add(P1, 0, event("p1-a"));
    Thread loop = Thread.ofVirtual().start(service::runUntilStopped);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(deliveries.accepted).hasSize(4));
      assertThat(deliveries.accepted)
          .as("p0 strictly in order; p1 did not wait for p0's retries")
          .containsSubsequence("all:p0-a", "all:p0-b", "all:p0-c")
          .containsSubsequence("all:p1-a", "all:p0-b");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(committed(P0)).isEqualTo(3);
                assertThat(committed(P1)).isEqualTo(1);
              });
    } finally {
      service.requestStop();
      assertThat(service.awaitStopped(Duration.ofSeconds(10))).isTrue();
      loop.join();
    }
  }

  @Test
  void aMalformedRecordIsDeadLetteredUnchangedThenCommitted() throws Exception {
    assign();
    add(P0, 0, "{\"event_id\": ");
    add(P0, 1, event("after-bad"));
    Thread loop = Thread.ofVirtual().start(service::runUntilStopped);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed(P0)).isEqualTo(2));
      List<ProducerRecord<byte[], byte[]>> dead = producer.history();
      assertThat(dead).hasSize(1);
      ProducerRecord<byte[], byte[]> letter = dead.get(0);
      assertThat(letter.topic()).isEqualTo("bp.events.dlq");
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"event_id\": ");
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("k");
      assertThat(header(letter, DeadLetterWriter.REASON)).startsWith("$: is not valid JSON");
      assertThat(header(letter, DeadLetterWriter.REASON_KIND)).isEqualTo("not_json");
      assertThat(header(letter, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo("bp.events");
      assertThat(header(letter, DeadLetterWriter.SOURCE_PARTITION)).isEqualTo("0");
      assertThat(header(letter, DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("0");
      assertThat(header(letter, DeadLetterWriter.AT)).isNotBlank();
      assertThat(deliveries.accepted).containsExactly("all:after-bad");
    } finally {
      service.requestStop();
      service.awaitStopped(Duration.ofSeconds(10));
      loop.join();
    }
  }

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(service.backoff(0)).isEqualTo(Duration.ofMillis(200));
    assertThat(service.backoff(1)).isEqualTo(Duration.ofMillis(400));
    assertThat(service.backoff(30)).isEqualTo(Duration.ofMillis(400));
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
