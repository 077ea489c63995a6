package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bptemporal.contracts.naming.TopicSpec;
import io.bptemporal.contracts.naming.Topics;
import io.bptemporal.devstack.junit.DevStackExtension;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dev stack's Kafka broker is a real one: records go through it and come back, the platform's
 * topics exist with their partitions, and a restart on the same data directory keeps the cluster,
 * the topics, the records and the consumer groups' offsets, while the topics are ensured again
 * without change.
 */
@ExtendWith(DevStackExtension.class)
class KafkaBrokerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void platformTopicsExistWithTheirPartitions(StackEndpoints stack) throws Exception {
    try (Admin admin = TopicRegistrar.admin(stack.kafkaBootstrapServers())) {
      Map<String, TopicDescription> topics = describe(admin, Topics.ALL);

      for (TopicSpec spec : Topics.ALL) {
        assertThat(topics.get(spec.name()).partitions())
            .as("partitions of %s", spec.name())
            .hasSize(spec.partitions());
      }
    }
  }

  @Test
  void aRecordProducedToTheEventsTopicIsConsumedBackWithKeyValueAndHeaders(StackEndpoints stack)
      throws Exception {
    String servers = stack.kafkaBootstrapServers();
    String subject = "order/o-" + UUID.randomUUID();
    String value = "{\"type\":\"order.placed\",\"subject\":\"" + subject + "\"}";
    RecordMetadata sent;
    try (KafkaProducer<String, String> producer = producer(servers)) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(Topics.EVENTS.name(), subject, value);
      record.headers().add(new RecordHeader("bp-test", "1".getBytes(StandardCharsets.UTF_8)));
      sent = producer.send(record).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    try (KafkaConsumer<String, String> consumer =
        consumer(servers, "devstack-it-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(Topics.EVENTS.name()));
      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      await("the record read back from " + Topics.EVENTS.name())
          .atMost(TIMEOUT)
          .pollInSameThread()
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r));
                return received.stream().anyMatch(r -> subject.equals(r.key()));
              });
      ConsumerRecord<String, String> back =
          received.stream().filter(r -> subject.equals(r.key())).findFirst().orElseThrow();
      assertThat(back.value()).isEqualTo(value);
      assertThat(back.partition()).isEqualTo(sent.partition());
      assertThat(back.offset()).isEqualTo(sent.offset());
      assertThat(new String(back.headers().lastHeader("bp-test").value(), StandardCharsets.UTF_8))
          .isEqualTo("1");
    }
  }

  @Test
  void ensuringTheTopicsAgainChangesNothingAndWidensATopicWithTooFewPartitions(StackEndpoints stack)
      throws Exception {
    TopicSpec narrow = new TopicSpec("devstack-it.widen-" + UUID.randomUUID(), 1);
    TopicSpec wide = new TopicSpec(narrow.name(), 3);
    try (Admin admin = TopicRegistrar.admin(stack.kafkaBootstrapServers())) {
      TopicRegistrar registrar = new TopicRegistrar(admin);

      registrar.ensure(List.of(narrow), TIMEOUT);
      registrar.ensure(List.of(narrow), TIMEOUT);
      assertThat(describe(admin, List.of(narrow)).get(narrow.name()).partitions()).hasSize(1);

      registrar.ensure(List.of(wide), TIMEOUT);
      assertThat(describe(admin, List.of(wide)).get(wide.name()).partitions()).hasSize(3);

      registrar.ensure(Topics.ALL, TIMEOUT);
      Map<String, TopicDescription> platform = describe(admin, Topics.ALL);
      Topics.ALL.forEach(
          t -> assertThat(platform.get(t.name()).partitions()).hasSize(t.partitions()));

      admin.deleteTopics(List.of(narrow.name())).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void aRestartOnTheSameDataKeepsClusterTopicsRecordsAndCommittedOffsets(DevStack stack)
      throws Exception {
    assumeTrue(
        stack.config().existingKafka().isEmpty(),
        "skipped: this test stops and restarts the Kafka broker, which needs the broker started by"
            + " the dev stack; KAFKA_BOOTSTRAP_SERVERS names another one");
    String servers = stack.endpoints().kafkaBootstrapServers();
    String run = UUID.randomUUID().toString();
    String group = "devstack-it-restart-" + run;
    String topic = Topics.OUTBOX.name();
    String clusterId;
    try (Admin admin = TopicRegistrar.admin(servers)) {
      clusterId = admin.describeCluster().clusterId().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    List<RecordMetadata> firstBatch = produce(servers, topic, run, 0, 20);
    // A consumer group reads the first 20 and commits; 5 more are written after it left.
    try (KafkaConsumer<String, String> consumer = consumer(servers, group)) {
      consumer.subscribe(List.of(topic));
      Set<String> seen = readValues(consumer, run, 20);
      assertThat(seen).hasSize(20);
      consumer.commitSync();
    }
    List<RecordMetadata> secondBatch = produce(servers, topic, run, 20, 25);

    long t0 = System.nanoTime();
    stack.stopKafkaBroker();
    assertThat(accepts(servers)).as("the broker's port after the stop").isFalse();
    stack.startKafkaBroker();
    long restartMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("kafka broker stopped and ready again in %d ms%n", restartMillis);

    try (Admin admin = TopicRegistrar.admin(servers)) {
      assertThat(admin.describeCluster().clusterId().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("cluster id after the restart (the data directory was not formatted again)")
          .isEqualTo(clusterId);
      Map<String, TopicDescription> topics = describe(admin, Topics.ALL);
      Topics.ALL.forEach(
          t -> assertThat(topics.get(t.name()).partitions()).hasSize(t.partitions()));
    }
    // The group resumes at its committed offsets: exactly the 5 records written after the commit.
    try (KafkaConsumer<String, String> consumer = consumer(servers, group)) {
      consumer.subscribe(List.of(topic));
      assertThat(readValues(consumer, run, 5))
          .containsExactlyInAnyOrder(
              value(run, 20), value(run, 21), value(run, 22), value(run, 23), value(run, 24));
    }
    // Every record is still there, at the offset it was written to.
    try (KafkaConsumer<String, String> consumer = consumer(servers, "devstack-it-all-" + run)) {
      List<TopicPartition> partitions =
          java.util.stream.IntStream.range(0, Topics.OUTBOX.partitions())
              .mapToObj(p -> new TopicPartition(topic, p))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, String>> all = new ArrayList<>();
      await("the 25 records after the restart")
          .atMost(TIMEOUT)
          .pollInSameThread()
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (r.value().startsWith(run)) {
                            all.add(r);
                          }
                        });
                return all.size() >= 25;
              });
      List<RecordMetadata> written = new ArrayList<>(firstBatch);
      written.addAll(secondBatch);
      assertThat(all.stream().map(r -> r.partition() + "@" + r.offset()).toList())
          .containsExactlyInAnyOrderElementsOf(
              written.stream().map(m -> m.partition() + "@" + m.offset()).toList());
    }
  }

  private static List<RecordMetadata> produce(
      String servers, String topic, String run, int from, int to) throws Exception {
    List<RecordMetadata> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = producer(servers)) {
      for (int i = from; i < to; i++) {
        // Keyed by subject, as the platform's producers do: 5 subjects over the 3 partitions.
        sent.add(
            producer
                .send(new ProducerRecord<>(topic, "subject-" + (i % 5), value(run, i)))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
    }
    return sent;
  }

  private static String value(String run, int i) {
    return run + "#" + i;
  }

  /** Polls until {@code count} records of this run arrived; their values. */
  private static Set<String> readValues(
      KafkaConsumer<String, String> consumer, String run, int count) {
    Set<String> values = new java.util.LinkedHashSet<>();
    await(count + " records of run " + run)
        .atMost(TIMEOUT)
        .pollInSameThread()
        .until(
            () -> {
              consumer
                  .poll(Duration.ofMillis(200))
                  .forEach(
                      r -> {
                        if (r.value().startsWith(run)) {
                          values.add(r.value());
                        }
                      });
              return values.size() >= count;
            });
    return values;
  }

  private static Map<String, TopicDescription> describe(Admin admin, List<TopicSpec> topics)
      throws Exception {
    return admin
        .describeTopics(topics.stream().map(TopicSpec::name).collect(Collectors.toList()))
        .allTopicNames()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static boolean accepts(String servers) {
    String[] hostPort = servers.split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
      return true;
    } catch (java.io.IOException refused) {
      return false;
    }
  }

  private static KafkaProducer<String, String> producer(String servers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(String servers, String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }
}
