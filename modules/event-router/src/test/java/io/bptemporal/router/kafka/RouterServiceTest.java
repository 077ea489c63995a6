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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop against Kafka's own mock consumer and producer: order within a partition while
 * a record waits for Temporal, commit only of handled records, dead letters with the original bytes
 * and the source coordinates, committed in one transaction with the offsets past them (never
 * through the consumer), a failed transaction aborted and tried again, a fenced producer stopping
 * the router.
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

  /** One committed transaction: what it wrote and the offsets it committed. */
  private record Transaction(
      List<ProducerRecord<byte[], byte[]>> records,
      Map<TopicPartition, OffsetAndMetadata> offsets) {}

  /**
   * Kafka's mock producer, keeping each committed transaction whole; commits can be made to fail.
   */
  private static final class TransactionsProducer extends MockProducer<byte[], byte[]> {
    final List<Transaction> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger aborted = new AtomicInteger();
    final java.util.Queue<RuntimeException> commitFailures = new ConcurrentLinkedQueue<>();

    /** While set, every commit times out (the transaction stays in doubt). */
    volatile boolean holdCommits;

    final AtomicInteger heldCommits = new AtomicInteger();

    /** Set by a test around a rebalance: commits made meanwhile come from the listener. */
    volatile boolean inRebalance;

    final List<Transaction> committedInRebalance = new CopyOnWriteArrayList<>();

    TransactionsProducer() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void commitTransaction() {
      RuntimeException failure = commitFailures.poll();
      if (failure != null) {
        throw failure;
      }
      if (holdCommits) {
        heldCommits.incrementAndGet();
        throw new org.apache.kafka.common.errors.TimeoutException("held");
      }
      List<ProducerRecord<byte[], byte[]>> records = uncommittedRecords();
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      uncommittedOffsets().values().forEach(offsets::putAll);
      super.commitTransaction();
      committed.add(new Transaction(records, offsets));
      if (inRebalance) {
        committedInRebalance.add(new Transaction(records, offsets));
      }
    }

    @Override
    public void abortTransaction() {
      super.abortTransaction();
      aborted.incrementAndGet();
    }
  }

  private final MockConsumer<byte[], byte[]> consumer = new PacedConsumer();
  private final TransactionsProducer producer = new TransactionsProducer();
  private final Fixtures.RecordingDeliveries deliveries = new Fixtures.RecordingDeliveries();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RouterMetrics metrics = new RouterMetrics(registry);
  private final RouterService service =
      new RouterService(
          consumer,
          producer,
          List.of("bp.events"),
          new RecordRouter(
              new EnvelopeDecoder(4096),
              () -> new RouteTable(List.of(route("all", "order.placed", "[]", "START")), List.of()),
              deliveries,
              metrics,
              Fixtures.tracing()),
          new DeadLetterWriter("bp.events.dlq"),
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

  /** The offset committed last, through the producer's transactions. */
  private long committed(TopicPartition partition) {
    long offset = -1;
    for (Transaction transaction : producer.committed) {
      OffsetAndMetadata o = transaction.offsets().get(partition);
      if (o != null) {
        offset = o.offset();
      }
    }
    return offset;
  }

  /** Never through the consumer: its commits would not be atomic with the dead letters. */
  private void assertNothingCommittedByTheConsumer() {
    assertThat(consumer.committed(Set.of(P0, P1)).values()).allMatch(java.util.Objects::isNull);
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
      assertNothingCommittedByTheConsumer();
      assertThat(producer.history()).as("no dead letters").isEmpty();
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
      Transaction with =
          producer.committed.stream().filter(t -> !t.records().isEmpty()).findFirst().orElseThrow();
      assertThat(with.records())
          .as("the letter is committed in the transaction that moves the offset past it")
          .containsExactly(letter);
      assertThat(with.offsets().get(P0).offset()).isGreaterThan(0);
      assertThat(producer.committed.stream().mapToLong(t -> t.records().size()).sum()).isOne();
      assertThat(counter(RouterMetrics.DEAD_LETTERED)).isEqualTo(1.0);
      assertNothingCommittedByTheConsumer();
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
  void aFailedTransactionIsAbortedAndItsDeadLetterCommittedOnceWithTheNextTry() throws Exception {
    producer.commitFailures.add(new KafkaException("the broker said no"));
    producer.commitFailures.add(new org.apache.kafka.common.errors.TimeoutException("slow"));
    assign();
    add(P0, 0, "not json");
    add(P0, 1, event("after-bad"));
    Thread loop = Thread.ofVirtual().start(service::runUntilStopped);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed(P0)).isEqualTo(2));
      assertThat(producer.aborted).as("the failed one aborted").hasValue(1);
      assertThat(producer.history()).as("once, though sent in three transactions").hasSize(1);
      assertThat(header(producer.history().get(0), DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("0");
      assertThat(header(producer.history().get(0), DeadLetterWriter.REASON_KIND))
          .isEqualTo("not_json");
      assertThat(counter(RouterMetrics.DEAD_LETTERED)).as("counted at the commit").isEqualTo(1.0);
      assertThat(registry.find("bp_router_retries").tag("cause", "dead_letter_write").counters())
          .singleElement()
          .satisfies(c -> assertThat(c.count()).as("the abort and the timeout").isEqualTo(2.0));
      assertNothingCommittedByTheConsumer();
    } finally {
      service.requestStop();
      assertThat(service.awaitStopped(Duration.ofSeconds(10))).isTrue();
      loop.join();
    }
  }

  @Test
  void aRevokedPartitionCommitsItsDeadLetterAndProgressInTheRevocation() throws Exception {
    producer.holdCommits = true;
    deliveries.refuse("p1-waits", 1_000_000);
    assign();
    add(P1, 0, "not json");
    add(P1, 1, event("p1-waits"));
    Thread loop = Thread.ofVirtual().start(service::runUntilStopped);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(producer.heldCommits).hasValueGreaterThan(1));
      assertThat(producer.committed).as("nothing committed while the broker times out").isEmpty();
      consumer.schedulePollTask(
          () -> {
            producer.holdCommits = false;
            producer.inRebalance = true;
            consumer.rebalance(List.of(P0));
            producer.inRebalance = false;
          });
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(producer.committedInRebalance).isNotEmpty());
      Transaction revoked = producer.committedInRebalance.get(0);
      assertThat(revoked.offsets().get(P1).offset())
          .as("up to the record that waits, which the next owner handles")
          .isEqualTo(1);
      assertThat(revoked.records()).hasSize(1);
      assertThat(header(revoked.records().get(0), DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("0");
      assertThat(producer.history()).as("the letter once").hasSize(1);
      assertThat(deliveries.accepted).doesNotContain("all:p1-waits");
      assertNothingCommittedByTheConsumer();
    } finally {
      service.requestStop();
      assertThat(service.awaitStopped(Duration.ofSeconds(10))).isTrue();
      loop.join();
    }
    assertThat(producer.committed)
        .as("nothing of P1 after its revocation")
        .allSatisfy(t -> assertThat(t.offsets().get(P1)).isIn(null, new OffsetAndMetadata(1)));
  }

  @Test
  void aFencedProducerStopsTheRouterWithoutCommittingAnything() throws Exception {
    producer.commitFailures.add(new ProducerFencedException("another producer has the id"));
    assign();
    add(P0, 0, "not json");
    add(P0, 1, event("after-bad"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread loop =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    service.runUntilStopped();
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                });
    assertThat(service.awaitStopped(Duration.ofSeconds(10))).as("stopped by itself").isTrue();
    loop.join();
    assertThat(failure.get())
        .as("runUntilStopped throws, so the process exits non-zero")
        .isNotNull()
        .hasRootCauseInstanceOf(ProducerFencedException.class);
    assertThat(producer.committed).isEmpty();
    assertThat(producer.history()).isEmpty();
    assertThat(producer.aborted).as("a fenced producer cannot abort").hasValue(0);
    assertThat(counter(RouterMetrics.DEAD_LETTERED)).isZero();
    assertNothingCommittedByTheConsumer();
  }

  private double counter(String name) {
    return registry.find(name.replaceFirst("_total$", "")).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
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
