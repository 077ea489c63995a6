package io.bptemporal.router.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.worker.ActivityWorkerMain;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.router.MalformedRecords;
import io.bptemporal.router.RouterMain;
import io.bptemporal.router.kafka.DeadLetterWriter;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * The event router as an OS process on the dev stack — real Kafka, real PostgreSQL (the registry
 * with a read-only role), real Temporal with the activity worker polling its own task queue — fed
 * through the real broker:
 *
 * <ul>
 *   <li>events start RunActivity runs exactly once, duplicates start nothing;
 *   <li>every kind of malformed record lands on the dead-letter topic unchanged, with its precise
 *       reason and source coordinates, and the records behind it are still routed;
 *   <li>a route inserted into the registry routes the next event without a restart;
 *   <li>while Temporal is down the records wait, and after it is back they start, in order;
 *   <li>a SIGNAL_WITH_START route: each subject's SubjectEventsWorkflow on the activity worker runs
 *       its events as child RunActivity runs, once each, in order; redeliveries are ignored.
 * </ul>
 */
@ExtendWith(DevStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventRouterIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String TOPIC = "router-it-" + RUN;
  private static final String DLQ = TOPIC + ".dlq";
  private static final String TASK_QUEUE = "router-it-" + RUN;
  private static final String ACTIVITY = "router-it-run";
  private static final String LATE_ACTIVITY = "router-it-late";
  private static final String SUBJECT_ACTIVITY = "router-it-subject";
  private static final String REGISTRY = "router_it_registry";
  private static final String READER = "router_it_reader";
  private static final String ACTIVITY_DB = "router_it_activity";
  private static final int MAX_BYTES = 4096;

  private static StackEndpoints stack;
  private static String bootstrap;
  private static WorkerProcess worker;
  private static WorkerProcess router;
  private static KafkaProducer<byte[], byte[]> producer;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient client;
  private static Map<String, String> routerEnv;

  @BeforeAll
  static void start(StackEndpoints endpoints) throws Exception {
    stack = endpoints;
    bootstrap = stack.kafkaBootstrapServers();
    String registryUrl = stack.postgres().freshDatabase(REGISTRY, REGISTRY, "pw");
    stack.postgres().ensureLoginRole(READER, "pw");
    try (HikariDataSource owner =
        Databases.pool(new DatabaseSettings(registryUrl, REGISTRY, "pw", 2), "it-router-owner")) {
      RegistrySchema.migrate(owner);
      RegistryGrants.grantRead(owner, List.of(READER));
    }
    sql(activity(ACTIVITY), activity(LATE_ACTIVITY));
    sql(
        "insert into event_route (route_id, activity_id, event_type) values ('it-start', '"
            + ACTIVITY
            + "', 'router.it')");
    stack.postgres().freshDatabase(ACTIVITY_DB, ACTIVITY_DB, "pw");

    try (Admin admin = Admin.create(kafka())) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1), new NewTopic(DLQ, 1, (short) 1)))
          .all()
          .get();
    }
    producer = new KafkaProducer<>(kafka(), new ByteArraySerializer(), new ByteArraySerializer());

    Map<String, String> workerEnv = new HashMap<>();
    workerEnv.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    workerEnv.put("TEMPORAL_NAMESPACE", Namespaces.PIPELINES.name());
    workerEnv.put("TEMPORAL_TASK_QUEUE", TASK_QUEUE);
    workerEnv.put("DB_URL", stack.postgres().jdbcUrl(ACTIVITY_DB));
    workerEnv.put("DB_USER", ACTIVITY_DB);
    workerEnv.put("DB_PASSWORD", "pw");
    workerEnv.put("REGISTRY_DB_URL", registryUrl);
    workerEnv.put("REGISTRY_DB_USER", READER);
    workerEnv.put("REGISTRY_DB_PASSWORD", "pw");
    workerEnv.put("SHUTDOWN_GRACE_SECONDS", "5");
    worker = process("activity-worker", ActivityWorkerMain.class.getName(), workerEnv);
    worker.awaitReady(Duration.ofSeconds(120));

    routerEnv = new HashMap<>();
    routerEnv.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    routerEnv.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    routerEnv.put("ROUTER_TOPICS", TOPIC);
    routerEnv.put("ROUTER_DLQ_TOPIC", DLQ);
    routerEnv.put("ROUTER_GROUP_ID", "router-it-" + RUN);
    // Static membership, as the chart sets it (the pod name): a router restarted under the same
    // name takes its partitions back without waiting for the broker's session timeout.
    routerEnv.put("ROUTER_GROUP_INSTANCE_ID", "event-router-it");
    routerEnv.put("ROUTER_MAX_RECORD_BYTES", Integer.toString(MAX_BYTES));
    routerEnv.put("ROUTER_MAX_BACKOFF_SECONDS", "2");
    routerEnv.put("REGISTRY_DB_URL", registryUrl);
    routerEnv.put("REGISTRY_DB_USER", READER);
    routerEnv.put("REGISTRY_DB_PASSWORD", "pw");
    routerEnv.put("SHUTDOWN_GRACE_SECONDS", "5");
    router = process("event-router", RouterMain.class.getName(), routerEnv);
    router.awaitReady(Duration.ofSeconds(120));

    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace(Namespaces.PIPELINES.name())
                .setDataConverter(ContractDataConverter.instance())
                .build());
  }

  @AfterAll
  static void stop() {
    if (router != null) {
      assertThat(router.terminate(Duration.ofSeconds(30))).as("router exit after SIGTERM").isZero();
    }
    if (worker != null) {
      worker.terminate(Duration.ofSeconds(30));
    }
    if (producer != null) {
      producer.close();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
  }

  @Test
  @Order(1)
  void eventsStartRunActivityOnceEachAndDuplicatesStartNothing() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = "once-" + RUN + "-" + i;
      ids.add(id);
      send("subject-" + (i % 4), event(id, "router.it", "subject-" + (i % 4)));
    }
    for (int i = 0; i < 20; i += 2) {
      // The same event again, as a producer retry or a replay would send it.
      send("subject-" + (i % 4), event(ids.get(i), "router.it", "subject-" + (i % 4)));
    }
    producer.flush();
    for (String id : ids) {
      awaitCompleted(WorkflowIds.eventRun(ACTIVITY, id));
    }
    Awaitility.await("the router counted the duplicates")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(metric("bp_router_workflow_requests_total", "result=\"duplicate\""))
                    .isGreaterThanOrEqualTo(10));
    assertThat(metric("bp_router_workflow_requests_total", "result=\"started\""))
        .isGreaterThanOrEqualTo(20);
    // Exactly one execution per event: the visibility store lists every run of the ids.
    Awaitility.await("visibility lists each run once")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .listExecutions(
                                "TaskQueue = '"
                                    + TASK_QUEUE
                                    + "' AND WorkflowId STARTS_WITH '"
                                    + ACTIVITY
                                    + ":event:once-"
                                    + RUN
                                    + "'")
                            .count())
                    .isEqualTo(20));
  }

  @Test
  @Order(2)
  void everyMalformedRecordLandsOnTheDeadLetterTopicWithItsReasonAndTheOthersStillRoute()
      throws Exception {
    List<MalformedRecords.Malformed> malformed = MalformedRecords.all("dlq-" + RUN, MAX_BYTES);
    Map<String, MalformedRecords.Malformed> byCoordinates = new HashMap<>();
    for (MalformedRecords.Malformed m : malformed) {
      RecordMetadata at =
          producer
              .send(
                  new ProducerRecord<>(
                      TOPIC, ("bad-" + m.name()).getBytes(StandardCharsets.UTF_8), m.value()))
              .get();
      byCoordinates.put(at.partition() + "@" + at.offset(), m);
    }
    // A tombstone is its own kind (no value at all).
    RecordMetadata tombstone =
        producer
            .send(
                new ProducerRecord<>(TOPIC, "bad-tombstone".getBytes(StandardCharsets.UTF_8), null))
            .get();
    String after = "after-dlq-" + RUN;
    send("s", event(after, "router.it", "s"));
    producer.flush();

    List<ConsumerRecord<byte[], byte[]>> letters = readDeadLetters(malformed.size() + 1);
    assertThat(letters).hasSize(malformed.size() + 1);
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      String coordinates =
          header(letter, DeadLetterWriter.SOURCE_PARTITION)
              + "@"
              + header(letter, DeadLetterWriter.SOURCE_OFFSET);
      assertThat(header(letter, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo(TOPIC);
      assertThat(header(letter, DeadLetterWriter.AT)).isNotBlank();
      if (coordinates.equals(tombstone.partition() + "@" + tombstone.offset())) {
        assertThat(letter.value()).isNull();
        assertThat(header(letter, DeadLetterWriter.REASON_KIND)).isEqualTo("empty");
        continue;
      }
      MalformedRecords.Malformed m = byCoordinates.get(coordinates);
      assertThat(m).as("dead letter %s is one of the records sent", coordinates).isNotNull();
      assertThat(letter.value()).as(m.name() + ": original bytes").isEqualTo(m.value());
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("bad-" + m.name());
      assertThat(header(letter, DeadLetterWriter.REASON_KIND))
          .as(m.name())
          .isEqualTo(m.kind().label());
      assertThat(header(letter, DeadLetterWriter.REASON))
          .as(m.name())
          .contains(m.words())
          .contains("accepted");
    }
    awaitCompleted(WorkflowIds.eventRun(ACTIVITY, after));
  }

  @Test
  @Order(3)
  void aRouteInsertedIntoTheRegistryRoutesTheNextEventWithoutARestart() throws Exception {
    long activeBefore = metric("bp_router_active_routes", "");
    String early = "late-early-" + RUN;
    send("s", event(early, "router.it.late", "s"));
    producer.flush();
    Awaitility.await("the early event is consumed and unrouted")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(metric("bp_router_records_total", "outcome=\"unrouted\""))
                    .isGreaterThanOrEqualTo(1));

    sql(
        "insert into event_route (route_id, activity_id, event_type, filters) values ('it-late', '"
            + LATE_ACTIVITY
            + "', 'router.it.late', '[{\"path\": \"$.payload.country\", \"equals\": \"DE\"}]')");
    Awaitility.await("the router reloaded on the notification")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(metric("bp_router_active_routes", "")).isEqualTo(activeBefore + 1));
    String next = "late-next-" + RUN;
    send("s", event(next, "router.it.late", "s"));
    String filtered = "late-filtered-" + RUN;
    send("s", event(filtered, "router.it.late", "s").replace("\"DE\"", "\"AT\""));
    producer.flush();
    awaitCompleted(WorkflowIds.eventRun(LATE_ACTIVITY, next));
    assertThat(describe(WorkflowIds.eventRun(LATE_ACTIVITY, early)))
        .as("the early event ran nothing")
        .isNull();
    assertThat(describe(WorkflowIds.eventRun(LATE_ACTIVITY, filtered)))
        .as("the filter held")
        .isNull();
  }

  @Test
  @Order(4)
  void aRouterKilledTwiceMidStreamStartsEachRunExactlyOnce() throws Exception {
    int events = 300;
    String prefix = "crash-" + RUN + "-";
    for (int i = 0; i < events; i++) {
      String subject = "crash-subject-" + (i % 17);
      byte[] value = event(prefix + i, "router.it", subject).getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(TOPIC, subject.getBytes(StandardCharsets.UTF_8), value));
      if (i % 10 == 0) {
        // 10% redelivered, as a producer retry would.
        producer.send(new ProducerRecord<>(TOPIC, subject.getBytes(StandardCharsets.UTF_8), value));
      }
    }
    producer.flush();
    for (int kill = 1; kill <= 2; kill++) {
      long before = metric("bp_router_records_total", "");
      Awaitility.await("router " + kill + " handles some records")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> metric("bp_router_records_total", "") >= before + 30);
      router.kill();
      router.awaitExit(Duration.ofSeconds(30));
      router = process("event-router-" + kill, RouterMain.class.getName(), routerEnv);
      router.awaitReady(Duration.ofSeconds(120));
    }
    String query =
        "TaskQueue = '"
            + TASK_QUEUE
            + "' AND WorkflowId STARTS_WITH '"
            + ACTIVITY
            + ":event:"
            + prefix
            + "'";
    Awaitility.await("every event's run completed")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(
                        client.listExecutions(query + " AND ExecutionStatus = 'Completed'").count())
                    .isEqualTo(events));
    assertThat(client.listExecutions(query).count()).as("no event ran twice").isEqualTo(events);
    try (Admin admin = Admin.create(kafka())) {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of("router-it-" + RUN))
              .describedGroups()
              .get("router-it-" + RUN)
              .get();
      assertThat(group.members())
          .as("the restarted router replaced its killed self as the group's one static member")
          .singleElement()
          .satisfies(m -> assertThat(m.groupInstanceId()).contains("event-router-it"));
    }
  }

  @Test
  @Order(5)
  void whileTemporalIsDownRecordsWaitAndStartInOrderWhenItIsBack(DevStack devStack)
      throws Exception {
    List<String> ids = new ArrayList<>();
    devStack.stopTemporalServer();
    try {
      long retriesBefore = metric("bp_router_retries_total", "cause=\"temporal_unavailable\"");
      for (int i = 0; i < 5; i++) {
        String id = "outage-" + RUN + "-" + i;
        ids.add(id);
        send("outage-subject", event(id, "router.it", "outage-subject"));
      }
      producer.flush();
      Awaitility.await("the router retries while Temporal is down")
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(metric("bp_router_retries_total", "cause=\"temporal_unavailable\""))
                      .isGreaterThan(retriesBefore));
    } finally {
      devStack.startTemporalServer();
    }
    Instant previous = Instant.EPOCH;
    for (String id : ids) {
      DescribeWorkflowExecutionResponse run = awaitCompleted(WorkflowIds.eventRun(ACTIVITY, id));
      Instant started = toInstant(run.getWorkflowExecutionInfo().getStartTime());
      assertThat(started).as(id + " started after the event before it").isAfterOrEqualTo(previous);
      previous = started;
    }
  }

  @Test
  @Order(6)
  void signalWithStartRunsEachSubjectsEventsOnceInOrderOnTheActivityWorker() throws Exception {
    long activeBefore = metric("bp_router_active_routes", "");
    sql(
        "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger,"
            + " owner) values ('"
            + SUBJECT_ACTIVITY
            + "', 'pipelines', 'RunActivityWorkflow', '"
            + TASK_QUEUE
            + "', '{\"event_types\": [\"router.it.subject\"]}'::jsonb, 'team-it')",
        "insert into event_route (route_id, activity_id, event_type, delivery) values ('it-subject', '"
            + SUBJECT_ACTIVITY
            + "', 'router.it.subject', 'SIGNAL_WITH_START')");
    Awaitility.await("the router loaded the signal-with-start route")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(metric("bp_router_active_routes", "")).isEqualTo(activeBefore + 1));

    List<String> subjects = List.of("account/sws-a-" + RUN, "account/sws-b-" + RUN);
    Map<String, List<String>> idsBySubject = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      for (String subject : subjects) {
        String id = "sws-" + RUN + "-" + (subject.contains("-a-") ? "a" : "b") + i;
        idsBySubject.computeIfAbsent(subject, k -> new ArrayList<>()).add(id);
        send(subject, event(id, "router.it.subject", subject));
      }
    }
    // Redeliveries of the second and fourth event of each subject, after the rest.
    for (String subject : subjects) {
      for (int i : new int[] {1, 3}) {
        send(subject, event(idsBySubject.get(subject).get(i), "router.it.subject", subject));
      }
    }
    // Such a route needs the subject: without one, the record is dead-lettered.
    String noSubjectKey = "no-subject-" + RUN;
    send(
        noSubjectKey,
        "{\"event_id\": \"sws-"
            + RUN
            + "-none\", \"type\": \"router.it.subject\", \"source\": \"bp/router-it\","
            + " \"occurred_at\": \"2026-11-21T10:00:00Z\", \"schema_version\": \"1.0\","
            + " \"payload\": {}}");
    producer.flush();

    for (String subject : subjects) {
      String workflowId = WorkflowIds.subjectEvents(SUBJECT_ACTIVITY, subject);
      SubjectEventsWorkflow chain = client.newWorkflowStub(SubjectEventsWorkflow.class, workflowId);
      SubjectEventsState[] state = new SubjectEventsState[1];
      Awaitility.await(subject + ": every event handled, every redelivery ignored")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                state[0] = chain.state();
                assertThat(state[0].counts().handled()).isEqualTo(5);
                assertThat(state[0].counts().duplicates()).isEqualTo(2);
              });
      assertThat(state[0].counts().alreadyRun()).isZero();
      assertThat(state[0].counts().failed()).isZero();
      assertThat(state[0].lastEventIds()).containsExactlyElementsOf(idsBySubject.get(subject));
      Instant previous = Instant.EPOCH;
      for (String id : idsBySubject.get(subject)) {
        DescribeWorkflowExecutionResponse run =
            awaitCompleted(WorkflowIds.eventRun(SUBJECT_ACTIVITY, id));
        assertThat(run.getWorkflowExecutionInfo().getParentExecution().getWorkflowId())
            .as(id + " is a child of the subject's workflow")
            .isEqualTo(workflowId);
        Instant started = toInstant(run.getWorkflowExecutionInfo().getStartTime());
        assertThat(started).as(id + " started after the event before it").isAfter(previous);
        previous = started;
      }
    }
    Awaitility.await("visibility lists each event's run once, one subject workflow per subject")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .listExecutions(
                              "WorkflowId STARTS_WITH '"
                                  + SUBJECT_ACTIVITY
                                  + ":event:sws-"
                                  + RUN
                                  + "'")
                          .count())
                  .isEqualTo(10);
              assertThat(
                      client
                          .listExecutions(
                              "WorkflowType = 'SubjectEventsWorkflow' AND TaskQueue = '"
                                  + TASK_QUEUE
                                  + "'")
                          .count())
                  .isEqualTo(2);
            });
    assertThat(
            count(
                "select count(*) from activity_run where activity_id = '" + SUBJECT_ACTIVITY + "'"))
        .as("one RunActivity execution per event in the activity database")
        .isEqualTo(10);

    ConsumerRecord<byte[], byte[]> letter = awaitDeadLetter(noSubjectKey);
    assertThat(header(letter, DeadLetterWriter.REASON_KIND)).isEqualTo("no_subject");
    assertThat(header(letter, DeadLetterWriter.REASON)).contains("subject");
  }

  // --- helpers ------------------------------------------------------------------------------

  private static Properties kafka() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  private static String event(String id, String type, String subject) {
    return "{\"event_id\": \""
        + id
        + "\", \"type\": \""
        + type
        + "\", \"source\": \"bp/router-it\", \"occurred_at\": \"2026-11-21T10:00:00Z\", \"subject\": \""
        + subject
        + "\", \"schema_version\": \"1.0\", \"payload\": {\"country\": \"DE\"}}";
  }

  private static void send(String key, String value) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                TOPIC,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  /** The dead letter with this key, waited for. */
  private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String key) {
    Properties p = kafka();
    p.put("group.id", "router-it-dlq-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(DLQ));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(500))) {
          if (letter.key() != null
              && key.equals(new String(letter.key(), StandardCharsets.UTF_8))) {
            return letter;
          }
        }
      }
    }
    throw new AssertionError("no dead letter with key " + key + " on " + DLQ + " within 60 s");
  }

  private static long count(String query) throws SQLException {
    try (Connection c = stack.postgres().connect(ACTIVITY_DB);
        PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected) {
    Properties p = kafka();
    p.put("group.id", "router-it-dlq-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    // Dead letters are written in the router's commit transactions: exactly once as committed.
    p.put("isolation.level", "read_committed");
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(DLQ));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (letters.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(letters::add);
      }
      // Nothing more than expected arrives.
      consumer.poll(Duration.ofSeconds(2)).forEach(letters::add);
    }
    return letters;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static DescribeWorkflowExecutionResponse describe(String workflowId) {
    try {
      return stubs
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(Namespaces.PIPELINES.name())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static DescribeWorkflowExecutionResponse awaitCompleted(String workflowId) {
    DescribeWorkflowExecutionResponse[] last = new DescribeWorkflowExecutionResponse[1];
    Awaitility.await(workflowId + " completed")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              last[0] = describe(workflowId);
              assertThat(last[0]).isNotNull();
              assertThat(last[0].getWorkflowExecutionInfo().getStatus())
                  .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
            });
    return last[0];
  }

  private static Instant toInstant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** The sum of a router metric's series whose labels contain {@code labels}. */
  private static long metric(String name, String labels) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(router.managementUri() + "/metrics")).build(),
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

  private static WorkerProcess process(String name, String mainClass, Map<String, String> env) {
    Path log = Path.of("target/worker-logs").toAbsolutePath().resolve(name + "-" + RUN + ".log");
    return WorkerProcess.start(
        name, WorkerProcess.testClasspathCommand(mainClass, List.of("-Xmx384m")), env, log);
  }

  private static String activity(String id) {
    return "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger, owner)"
        + " values ('"
        + id
        + "', 'pipelines', 'RunActivityWorkflow', '"
        + TASK_QUEUE
        + "', '{\"event_types\": [\"router.it\"]}'::jsonb, 'team-it')";
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = stack.postgres().connect(REGISTRY)) {
      for (String statement : statements) {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.execute();
        }
      }
    }
  }
}
