package io.bptemporal.router.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.worker.ActivitySchema;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.router.RouterMain;
import io.bptemporal.router.kafka.KafkaSettings;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outbox relay on the dev stack: real PostgreSQL (the activity and orders schemas migrated by
 * their own code, the relay's role granted by their own OUTBOX_RELAY_ROLES grant), the real Kafka
 * broker, each test on a topic of its own (3 partitions, like {@code bp.outbox}).
 *
 * <ul>
 *   <li>the relay's role reads the outbox and sets the marker, nothing else;
 *   <li>N rows of both outboxes with two relays per source → exactly N records, per-subject order
 *       kept, every row marked;
 *   <li>a crash between the broker's acks and the commit → nothing lost, the republished records
 *       carry the same event_id and bytes, every row marked;
 *   <li>the broker unreachable → the rows stay unpublished, the relay keeps trying, never dies;
 *   <li>a row breaking the envelope contract holds back its subject only, and is published in order
 *       once fixed;
 *   <li>the event router process SIGKILLed twice mid-stream → every row published (dedup by
 *       event_id), per-subject order kept, every row marked.
 * </ul>
 */
@ExtendWith(DevStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxRelayIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String ACTIVITY_DB = "relay_it_activity";
  private static final String ORDERS_DB = "relay_it_orders";
  private static final String REGISTRY_DB = "relay_it_registry";
  private static final String RELAY_ROLE = "relay_it_relay";
  private static final String REGISTRY_READER = "relay_it_reader";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private static StackEndpoints stack;
  private static String bootstrap;
  private static String activityUrl;
  private static String ordersUrl;
  private static HikariDataSource activityOwner;
  private static HikariDataSource ordersOwner;
  private static HikariDataSource activityRelay;
  private static HikariDataSource ordersRelay;
  private static KafkaProducer<byte[], byte[]> producer;

  /** One expected outbox row: what the consumer must see, and under which key. */
  record Expected(OutboxSource source, String rowId, String eventId, String key) {}

  /** A record read back from a topic. */
  record Seen(
      int partition, long offset, String key, String eventId, String headerId, byte[] value) {}

  @BeforeAll
  static void start(StackEndpoints endpoints) {
    stack = endpoints;
    bootstrap = stack.kafkaBootstrapServers();
    activityUrl = stack.postgres().freshDatabase(ACTIVITY_DB, ACTIVITY_DB, "pw");
    ordersUrl = stack.postgres().freshDatabase(ORDERS_DB, ORDERS_DB, "pw");
    stack.postgres().ensureLoginRole(RELAY_ROLE, "pw");
    activityOwner = pool(activityUrl, ACTIVITY_DB);
    ordersOwner = pool(ordersUrl, ORDERS_DB);
    ActivitySchema.migrate(activityOwner);
    ActivitySchema.grantOutboxRelay(activityOwner, List.of(RELAY_ROLE));
    OrdersSchema.migrate(ordersOwner);
    OrdersSchema.grantOutboxRelay(ordersOwner, List.of(RELAY_ROLE));
    activityRelay = pool(activityUrl, RELAY_ROLE);
    ordersRelay = pool(ordersUrl, RELAY_ROLE);
    producer = producer(bootstrap);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {producer, activityRelay, ordersRelay, activityOwner, ordersOwner}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing after the tests
      }
    }
  }

  @Test
  @Order(1)
  void theRelayRoleReadsTheOutboxAndSetsItsMarkerAndNothingElse() throws Exception {
    try (Connection c = activityRelay.getConnection()) {
      c.setAutoCommit(false);
      execute(c, "select count(*) from task_outbox");
      execute(c, "update task_outbox set published_at = now() where false");
      c.rollback();
      for (String refused :
          List.of(
              "update task_outbox set envelope = '{}' where false",
              "update task_outbox set published_at = now(), event_type = 'x' where false",
              "delete from task_outbox where false",
              "insert into task_outbox (event_id, task_key, event_type, envelope)"
                  + " select 'e', 'k', 't', '{}'::jsonb where false",
              "select count(*) from task_instance",
              "select count(*) from activity_run")) {
        assertThatThrownBy(() -> execute(c, refused))
            .as(refused)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        c.rollback();
      }
    }
    try (Connection c = ordersRelay.getConnection()) {
      c.setAutoCommit(false);
      execute(c, "select count(*) from notification_outbox");
      execute(c, "update notification_outbox set delivered_at = now() where false");
      c.rollback();
      for (String refused :
          List.of(
              "update notification_outbox set payload = '{}' where false",
              "delete from notification_outbox where false",
              "select count(*) from orders",
              "select count(*) from payment_ledger")) {
        assertThatThrownBy(() -> execute(c, refused))
            .as(refused)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        c.rollback();
      }
    }
    // The grant is idempotent (every worker start runs it) and names a missing role.
    ActivitySchema.grantOutboxRelay(activityOwner, List.of(RELAY_ROLE));
    assertThatThrownBy(
            () -> OrdersSchema.grantOutboxRelay(ordersOwner, List.of("relay_it_no_such_role")))
        .hasMessageContaining("relay_it_no_such_role")
        .hasMessageContaining("OUTBOX_RELAY_ROLES");
  }

  @Test
  @Order(2)
  void everyRowOfBothOutboxesIsPublishedOnceInOrderPerSubjectByTwoRelaysEach() throws Exception {
    String topic = topic();
    List<Expected> expected = new ArrayList<>();
    expected.addAll(insertTasks("many", 400, 8));
    expected.addAll(insertOrders("many", 100));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RelayMetrics metrics = new RelayMetrics(registry);
    List<OutboxRelay> relays = new ArrayList<>();
    for (int replica = 0; replica < 2; replica++) {
      relays.add(relay(OutboxSource.ACTIVITY, topic, metrics, 25, OutboxRelay.AfterAcks.NOTHING));
      relays.add(relay(OutboxSource.ORDERS, topic, metrics, 25, OutboxRelay.AfterAcks.NOTHING));
    }
    try (OutboxRelays running = new OutboxRelays(relays, Duration.ofSeconds(30)).start()) {
      awaitAllMarked();
    }

    List<Seen> seen = consume(topic, expected.size());
    assertThat(seen).as("records on " + topic).hasSize(expected.size());
    assertThat(seen.stream().map(Seen::eventId).distinct().count()).isEqualTo(expected.size());
    assertOrderPerKey(expected, seen);
    assertThat(seen).allSatisfy(s -> assertThat(s.headerId()).isEqualTo(s.eventId()));
    assertThat(counter(registry, "bp_relay_published", "source", "activity")).isEqualTo(400);
    assertThat(counter(registry, "bp_relay_published", "source", "orders")).isEqualTo(100);
  }

  @Test
  @Order(3)
  void aCrashBetweenTheAcksAndTheCommitRepublishesTheSameEventIdsAndLosesNothing()
      throws Exception {
    String topic = topic();
    List<Expected> expected = new ArrayList<>();
    expected.addAll(insertTasks("crash", 100, 4));
    expected.addAll(insertOrders("crash", 40));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RelayMetrics metrics = new RelayMetrics(registry);
    Map<OutboxSource, List<String>> crashed = new ConcurrentHashMap<>();
    OutboxRelay.AfterAcks crashOnce =
        (source, published) -> {
          if (crashed.putIfAbsent(source, published.stream().map(OutboxRow.Ready::eventId).toList())
              == null) {
            throw new IllegalStateException(
                "simulated crash of the " + source.label() + " relay between ack and commit");
          }
        };
    List<OutboxRelay> relays =
        List.of(
            relay(OutboxSource.ACTIVITY, topic, metrics, 20, crashOnce),
            relay(OutboxSource.ORDERS, topic, metrics, 20, crashOnce));
    try (OutboxRelays running = new OutboxRelays(relays, Duration.ofSeconds(30)).start()) {
      awaitAllMarked();
    }

    Set<String> republished = new HashSet<>();
    crashed.values().forEach(republished::addAll);
    assertThat(crashed).containsOnlyKeys(OutboxSource.ACTIVITY, OutboxSource.ORDERS);
    assertThat(republished).hasSize(40);
    List<Seen> seen = consume(topic, expected.size());
    assertThat(seen).as("every row once, the crashed batches twice").hasSize(140 + 40);
    Map<String, List<Seen>> byId = new HashMap<>();
    seen.forEach(s -> byId.computeIfAbsent(s.eventId(), id -> new ArrayList<>()).add(s));
    assertThat(byId.keySet())
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(Expected::eventId).toList());
    byId.forEach(
        (id, copies) -> {
          assertThat(copies).as(id).hasSize(republished.contains(id) ? 2 : 1);
          assertThat(copies)
              .as("a republished record is the same record")
              .allSatisfy(
                  copy -> {
                    assertThat(copy.value()).isEqualTo(copies.get(0).value());
                    assertThat(copy.key()).isEqualTo(copies.get(0).key());
                    assertThat(copy.partition()).isEqualTo(copies.get(0).partition());
                  });
        });
    assertOrderPerKey(expected, seen);
    assertThat(counter(registry, "bp_relay_failures", "cause", "unexpected")).isEqualTo(2);
  }

  @Test
  @Order(4)
  void whileTheBrokerIsUnreachableTheRowsStayUnpublishedAndTheRelayKeepsTrying() throws Exception {
    List<Expected> expected = insertTasks("nobroker", 10, 2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RelayMetrics metrics = new RelayMetrics(registry);
    Properties unreachable = new Properties();
    unreachable.putAll(producerProperties("127.0.0.1:" + closedPort()));
    unreachable.put("max.block.ms", "500");
    unreachable.put("request.timeout.ms", "500");
    unreachable.put("delivery.timeout.ms", "1000");
    try (KafkaProducer<byte[], byte[]> nowhere =
            new KafkaProducer<>(unreachable, new ByteArraySerializer(), new ByteArraySerializer());
        OutboxRelays running =
            new OutboxRelays(
                    List.of(
                        new OutboxRelay(
                            OutboxSource.ACTIVITY,
                            activityRelay,
                            nowhere,
                            "relay-it-nowhere",
                            metrics,
                            25,
                            Duration.ofMillis(50),
                            Duration.ofSeconds(1),
                            OutboxRelay.AfterAcks.NOTHING)),
                    Duration.ofSeconds(10))
                .start()) {
      Awaitility.await("the relay fails on the broker three times")
          .atMost(Duration.ofSeconds(60))
          .until(() -> counter(registry, "bp_relay_failures", "cause", "broker") >= 3);
      assertThat(unpublished(activityOwner, "task_outbox", "published_at")).isEqualTo(10);
      assertThat(threadAlive("outbox-relay-activity")).as("the relay thread lives on").isTrue();
      assertThat(counter(registry, "bp_relay_published", "source", "activity")).isZero();
    }

    // The broker reachable again: the same rows go out, once.
    String topic = topic();
    try (OutboxRelays running =
        new OutboxRelays(
                List.of(
                    relay(
                        OutboxSource.ACTIVITY,
                        topic,
                        new RelayMetrics(new SimpleMeterRegistry()),
                        25,
                        OutboxRelay.AfterAcks.NOTHING)),
                Duration.ofSeconds(30))
            .start()) {
      awaitAllMarked();
    }
    List<Seen> seen = consume(topic, expected.size());
    assertThat(seen).hasSize(10);
    assertOrderPerKey(expected, seen);
  }

  @Test
  @Order(5)
  void aRowBreakingTheContractHoldsBackItsSubjectOnlyAndGoesOutInOrderOnceFixed() throws Exception {
    String topic = topic();
    String held = "held/" + RUN;
    String other = "other/" + RUN;
    Instant base = Instant.now().minusSeconds(60);
    // Created order: broken (held), other-1, held-2, other-2.
    insertTask("broken-1", held, "TaskCreated", base);
    insertTask("other-1", other, "task.created", base.plusMillis(1));
    insertTask("held-2", held, "task.created", base.plusMillis(2));
    insertTask("other-2", other, "task.created", base.plusMillis(3));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RelayMetrics metrics = new RelayMetrics(registry);
    OutboxRelay relay =
        relay(OutboxSource.ACTIVITY, topic, metrics, 25, OutboxRelay.AfterAcks.NOTHING)
            .recheckHeldEvery(Duration.ofSeconds(1));
    try (OutboxRelays running = new OutboxRelays(List.of(relay), Duration.ofSeconds(30)).start()) {
      Awaitility.await("the other subject is published")
          .atMost(Duration.ofSeconds(60))
          .until(() -> published(taskEventId("other-2")) && published(taskEventId("other-1")));
      assertThat(gauge(registry, "bp_relay_held_subjects", "activity")).isEqualTo(1);
      assertThat(published(taskEventId("broken-1"))).isFalse();
      assertThat(published(taskEventId("held-2"))).as("behind the broken row").isFalse();

      try (Connection c = activityOwner.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "update task_outbox set envelope = jsonb_set(envelope, '{type}',"
                      + " '\"task.created\"') where event_id = ?")) {
        ps.setString(1, taskEventId("broken-1"));
        assertThat(ps.executeUpdate()).isOne();
      }
      awaitAllMarked();
    }
    List<Seen> seen = consume(topic, 4);
    assertThat(seen).hasSize(4);
    Map<String, List<String>> order = firstOccurrencesByKey(seen);
    assertThat(order.get(held)).containsExactly(taskEventId("broken-1"), taskEventId("held-2"));
    assertThat(order.get(other)).containsExactly(taskEventId("other-1"), taskEventId("other-2"));
  }

  @Test
  @Order(6)
  void theRouterProcessSigkilledTwiceMidStreamLosesNoRowAndKeepsEachSubjectsOrder()
      throws Exception {
    String topic = topic();
    List<Expected> expected = new ArrayList<>();
    expected.addAll(insertTasks("kill", 3000, 20));
    expected.addAll(insertOrders("kill", 1000));
    Map<String, String> env = routerEnvironment(topic);
    WorkerProcess router = router("relay-router-0", env);
    try {
      for (int kill = 1; kill <= 2; kill++) {
        long threshold = kill * 1000L;
        WorkerProcess current = router;
        Awaitility.await("relay " + kill + " publishes " + threshold + " rows")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> marked() >= threshold);
        current.kill();
        current.awaitExit(Duration.ofSeconds(30));
        assertThat(
                unpublished(activityOwner, "task_outbox", "published_at")
                    + unpublished(ordersOwner, "notification_outbox", "delivered_at"))
            .as("killed mid-stream: rows are left")
            .isPositive();
        // A consumer group of its own per start: the killed process stays a member of its group
        // until
        // the session times out, and a router stopped while its join waits behind that member takes
        // the consumer's close timeout to exit. Routing is not what this test is about.
        env.put("ROUTER_GROUP_ID", "relay-it-" + RUN + "-" + kill);
        router = router("relay-router-" + kill, env);
      }
      awaitAllMarked();
      assertThat(metric(router, "bp_relay_published_total", "")).isPositive();
    } finally {
      assertThat(router.terminate(Duration.ofSeconds(30))).as("exit after SIGTERM").isZero();
    }

    List<Seen> seen = consume(topic, expected.size());
    Map<String, List<Seen>> byId = new HashMap<>();
    seen.forEach(s -> byId.computeIfAbsent(s.eventId(), id -> new ArrayList<>()).add(s));
    assertThat(byId.keySet())
        .as("every row on the topic, nothing else")
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(Expected::eventId).toList());
    byId.forEach(
        (id, copies) ->
            assertThat(copies)
                .as("duplicates of " + id + " are the same record")
                .allSatisfy(copy -> assertThat(copy.value()).isEqualTo(copies.get(0).value())));
    assertOrderPerKey(expected, seen);
    System.out.printf(
        "OutboxRelayIT: %d rows, %d records on %s (%d republished after the kills)%n",
        expected.size(), seen.size(), topic, seen.size() - expected.size());
  }

  // --- the relay ----------------------------------------------------------------------------

  private static OutboxRelay relay(
      OutboxSource source,
      String topic,
      RelayMetrics metrics,
      int batch,
      OutboxRelay.AfterAcks afterAcks) {
    return new OutboxRelay(
        source,
        source == OutboxSource.ACTIVITY ? activityRelay : ordersRelay,
        producer,
        topic,
        metrics,
        batch,
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        afterAcks);
  }

  private static Properties producerProperties(String servers) {
    return RelaySettings.producerProperties(
        KafkaSettings.plaintext(servers).clientProperties("relay-it-" + RUN));
  }

  private static KafkaProducer<byte[], byte[]> producer(String servers) {
    return new KafkaProducer<>(
        producerProperties(servers), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Map<String, String> routerEnvironment(String topic) {
    String registryUrl = stack.postgres().freshDatabase(REGISTRY_DB, REGISTRY_DB, "pw");
    stack.postgres().ensureLoginRole(REGISTRY_READER, "pw");
    try (HikariDataSource owner = pool(registryUrl, REGISTRY_DB)) {
      RegistrySchema.migrate(owner);
      RegistryGrants.grantRead(owner, List.of(REGISTRY_READER));
    }
    String events = "relay-it-events-" + RUN;
    createTopics(new NewTopic(events, 1, (short) 1), new NewTopic(events + ".dlq", 1, (short) 1));
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("ROUTER_TOPICS", events);
    env.put("ROUTER_DLQ_TOPIC", events + ".dlq");
    env.put("ROUTER_GROUP_ID", "relay-it-" + RUN);
    env.put("REGISTRY_DB_URL", registryUrl);
    env.put("REGISTRY_DB_USER", REGISTRY_READER);
    env.put("REGISTRY_DB_PASSWORD", "pw");
    env.put("RELAY_SOURCES", "activity,orders");
    env.put("RELAY_ACTIVITY_DB_URL", activityUrl);
    env.put("RELAY_ACTIVITY_DB_USER", RELAY_ROLE);
    env.put("RELAY_ACTIVITY_DB_PASSWORD", "pw");
    env.put("RELAY_ORDERS_DB_URL", ordersUrl);
    env.put("RELAY_ORDERS_DB_USER", RELAY_ROLE);
    env.put("RELAY_ORDERS_DB_PASSWORD", "pw");
    env.put("RELAY_TOPIC", topic);
    env.put("RELAY_BATCH_SIZE", "10");
    env.put("RELAY_POLL_INTERVAL_MILLIS", "50");
    env.put("RELAY_MAX_BACKOFF_SECONDS", "2");
    env.put("SHUTDOWN_GRACE_SECONDS", "10");
    return env;
  }

  private static WorkerProcess router(String name, Map<String, String> env) {
    Path log = Path.of("target/worker-logs").toAbsolutePath().resolve(name + "-" + RUN + ".log");
    WorkerProcess process =
        WorkerProcess.start(
            name,
            WorkerProcess.testClasspathCommand(RouterMain.class.getName(), List.of("-Xmx384m")),
            env,
            log);
    process.awaitReady(Duration.ofSeconds(120));
    return process;
  }

  // --- rows ---------------------------------------------------------------------------------

  private static String taskEventId(String name) {
    return "task-created:" + RUN + "-" + name;
  }

  /** {@code n} task rows over {@code subjects} subjects, 1 ms apart in created order. */
  private static List<Expected> insertTasks(String prefix, int n, int subjects)
      throws SQLException {
    Instant base = Instant.now().minusSeconds(600);
    List<Expected> rows = new ArrayList<>();
    try (Connection c = activityOwner.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement task = c.prepareStatement(TASK_INSERT);
          PreparedStatement outbox = c.prepareStatement(OUTBOX_INSERT)) {
        for (int i = 0; i < n; i++) {
          String name = prefix + "-" + i;
          String subject = "group/" + RUN + "-" + prefix + "/" + (i % subjects);
          addTask(task, outbox, name, subject, "task.created", base.plusMillis(i));
          rows.add(
              new Expected(OutboxSource.ACTIVITY, taskEventId(name), taskEventId(name), subject));
        }
        task.executeBatch();
        outbox.executeBatch();
      }
      c.commit();
    }
    return rows;
  }

  private static void insertTask(String name, String subject, String type, Instant createdAt)
      throws SQLException {
    try (Connection c = activityOwner.getConnection();
        PreparedStatement task = c.prepareStatement(TASK_INSERT);
        PreparedStatement outbox = c.prepareStatement(OUTBOX_INSERT)) {
      addTask(task, outbox, name, subject, type, createdAt);
      task.executeBatch();
      outbox.executeBatch();
    }
  }

  private static final String TASK_INSERT =
      "insert into task_instance (task_key, activity_id, scheduled_for, run_key, kind, ordinal,"
          + " payload, definition_version, context_hash, created_by_workflow, created_by_run)"
          + " values (?, 'relay-it', now(), ?, 'send', 0, '{}'::jsonb, 1, 'h', 'wf', 'run')";
  private static final String OUTBOX_INSERT =
      "insert into task_outbox (event_id, task_key, event_type, envelope, created_at)"
          + " values (?, ?, 'task.created', ?::jsonb, ?)";

  private static void addTask(
      PreparedStatement task,
      PreparedStatement outbox,
      String name,
      String subject,
      String type,
      Instant createdAt)
      throws SQLException {
    String runKey = "relay-it:" + RUN + "-" + name;
    String taskKey = runKey + "/send/0";
    task.setString(1, taskKey);
    task.setString(2, runKey);
    task.addBatch();
    String eventId = taskEventId(name);
    outbox.setString(1, eventId);
    outbox.setString(2, taskKey);
    outbox.setString(
        3,
        "{\"event_id\": \""
            + eventId
            + "\", \"type\": \""
            + type
            + "\", \"source\": \"bp/activity-worker\", \"occurred_at\": \""
            + createdAt
            + "\", \"subject\": \""
            + subject
            + "\", \"schema_version\": \"1.0\", \"payload\": {\"task_key\": \""
            + taskKey
            + "\"}}");
    outbox.setTimestamp(4, Timestamp.from(createdAt));
    outbox.addBatch();
  }

  /** {@code n} confirmations (one per order, as the saga writes them), 1 ms apart. */
  private static List<Expected> insertOrders(String prefix, int n) throws SQLException {
    Instant base = Instant.now().minusSeconds(600);
    List<Expected> rows = new ArrayList<>();
    try (Connection c = ordersOwner.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into notification_outbox (message_id, idempotency_key, order_id, recipient,"
                  + " template, payload, created_at) values (?, ?, ?, 'c-1', 'order-confirmation',"
                  + " ?::jsonb, ?)")) {
        for (int i = 0; i < n; i++) {
          String orderId = "o-" + RUN + "-" + prefix + "-" + i;
          String messageId = "msg_" + RUN + "_" + prefix + "_" + i;
          String key = "order.confirmation/" + orderId;
          ps.setString(1, messageId);
          ps.setString(2, key);
          ps.setString(3, orderId);
          ps.setString(4, "{\"order_id\": \"" + orderId + "\", \"total_cents\": " + i + "}");
          ps.setTimestamp(5, Timestamp.from(base.plusMillis(i)));
          ps.addBatch();
          rows.add(
              new Expected(
                  OutboxSource.ORDERS,
                  messageId,
                  OrderConfirmationOutbox.eventId(key),
                  "order/" + orderId));
        }
        ps.executeBatch();
      }
      c.commit();
    }
    return rows;
  }

  private static boolean published(String eventId) throws SQLException {
    try (Connection c = activityOwner.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select published_at is not null from task_outbox where event_id = ?")) {
      ps.setString(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static long unpublished(DataSource db, String table, String marker) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select count(*) from " + table + " where " + marker + " is null")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long marked() throws SQLException {
    try (Connection a = activityOwner.getConnection();
        Statement s = a.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from task_outbox where published_at is not null"
                    + " and event_id like 'task-created:"
                    + RUN
                    + "-kill-%'")) {
      rs.next();
      long tasks = rs.getLong(1);
      try (Connection o = ordersOwner.getConnection();
          Statement so = o.createStatement();
          ResultSet ro =
              so.executeQuery(
                  "select count(*) from notification_outbox where delivered_at is not null"
                      + " and message_id like 'msg_"
                      + RUN
                      + "_kill_%'")) {
        ro.next();
        return tasks + ro.getLong(1);
      }
    }
  }

  private static void awaitAllMarked() {
    Awaitility.await("every outbox row marked published")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                unpublished(activityOwner, "task_outbox", "published_at") == 0
                    && unpublished(ordersOwner, "notification_outbox", "delivered_at") == 0);
  }

  // --- the topic ----------------------------------------------------------------------------

  private static String topic() {
    String topic = "relay-it-" + RUN + "-" + TOPICS.incrementAndGet();
    createTopics(new NewTopic(topic, 3, (short) 1));
    return topic;
  }

  private static void createTopics(NewTopic... topics) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(Arrays.asList(topics)).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create " + Arrays.toString(topics), e);
    }
  }

  /**
   * Everything on {@code topic}, in (partition, offset) order: reads until {@code distinct} event
   * ids arrived, then once more so that anything beyond them shows too.
   */
  private static List<Seen> consume(String topic, int distinct) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "relay-it-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    List<Seen> seen = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (ids.size() < distinct && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Seen s = seen(r);
          seen.add(s);
          ids.add(s.eventId());
        }
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
        seen.add(seen(r));
      }
    }
    seen.sort(Comparator.comparingInt(Seen::partition).thenComparingLong(Seen::offset));
    return seen;
  }

  private static Seen seen(ConsumerRecord<byte[], byte[]> r) throws IOException {
    JsonNode envelope = JSON.readTree(r.value());
    var header = r.headers().lastHeader(OutboxRelay.HEADER_EVENT_ID);
    return new Seen(
        r.partition(),
        r.offset(),
        new String(r.key(), StandardCharsets.UTF_8),
        envelope.path("event_id").asText(),
        header == null ? null : new String(header.value(), StandardCharsets.UTF_8),
        r.value());
  }

  private static Map<String, List<String>> firstOccurrencesByKey(List<Seen> seen) {
    Map<String, List<String>> order = new LinkedHashMap<>();
    Set<String> first = new HashSet<>();
    for (Seen s : seen) {
      if (first.add(s.eventId())) {
        order.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s.eventId());
      }
    }
    return order;
  }

  /** For every key, the first occurrences of its events are the rows' created order. */
  private static void assertOrderPerKey(List<Expected> expected, List<Seen> seen) {
    Map<String, List<String>> want = new LinkedHashMap<>();
    for (Expected e : expected) {
      want.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.eventId());
    }
    Map<String, List<String>> got = firstOccurrencesByKey(seen);
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
    want.forEach((key, ids) -> assertThat(got.get(key)).as("order of " + key).isEqualTo(ids));
  }

  // --- helpers ------------------------------------------------------------------------------

  private static HikariDataSource pool(String url, String user) {
    return Databases.pool(new DatabaseSettings(url, user, "pw", 4), "relay-it-" + user);
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  private static double counter(MeterRegistry registry, String name, String tag, String value) {
    var counter = registry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private static double gauge(MeterRegistry registry, String name, String source) {
    var gauge = registry.find(name).tag("source", source).gauge();
    return gauge == null ? -1 : gauge.value();
  }

  /** The sum of a process metric's series whose labels contain {@code labels}. */
  private static long metric(WorkerProcess process, String name, String labels) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(process.managementUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$")
            .matcher(body);
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return Math.round(sum);
  }
}
