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
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's measured "Done when" on the dev stack: a stream of events — START routes (one event,
 * two activities when a filter holds) and a SIGNAL_WITH_START route (subjects with several events
 * each) — with 2% redelivered records and malformed records of every kind {@link MalformedRecords}
 * knows, while the router process is SIGKILLed three times and the Temporal server is restarted
 * once, all mid-stream. Then, exactly:
 *
 * <ul>
 *   <li>one RunActivity run per (activity, event) — counted in the visibility store and in the
 *       activity database's {@code activity_run}, {@code task_instance} and {@code task_outbox}
 *       rows (no second execution, no second effect);
 *   <li>one SubjectEventsWorkflow per subject that handled each of its events once, the child runs
 *       started in the subject's order;
 *   <li>every malformed record on the dead-letter topic exactly once, as a {@code read_committed}
 *       reader sees it, with its precise reason and source coordinates; nothing else there;
 *   <li>nothing lost: the group's committed offsets reach the end of every partition.
 * </ul>
 *
 * <p>Size: {@code -Dbp.router.scale.events} (default {@value #DEFAULT_EVENTS}, what {@code make
 * test} runs; {@code make router-scale} runs the issue's 10,000). Malformed records: {@code
 * -Dbp.router.scale.malformed} (default 100). See docs/event-router.md, "Scale and faults".
 */
@ExtendWith(DevStackExtension.class)
class EventRouterScaleIT {
  static final int DEFAULT_EVENTS = 1000;
  private static final int EVENTS = Integer.getInteger("bp.router.scale.events", DEFAULT_EVENTS);
  private static final int MALFORMED = Integer.getInteger("bp.router.scale.malformed", 100);

  /** 2% of the events are produced a second time, later in the stream. */
  private static final int DUPLICATE_EVERY = 50;

  /** Of every ten events, three go to a subject's long-lived workflow. */
  private static final int SIGNALLED_PER_TEN = 3;

  private static final int EVENTS_PER_SUBJECT = 10;

  /** Every fourth START event also matches the audit route's filter: a second run. */
  private static final int AUDIT_EVERY = 4;

  private static final int KILLS = 3;
  private static final int WAVES = KILLS + 2;

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String TOPIC = "router-scale-" + RUN;
  private static final String DLQ = TOPIC + ".dlq";
  private static final String GROUP = "router-scale-" + RUN;
  private static final String TASK_QUEUE = "router-scale-" + RUN;
  private static final String INVOICE = "scale-invoice";
  private static final String AUDIT = "scale-audit";
  private static final String SUBJECT = "scale-subject";
  private static final String PLACED = "scale.order.placed";
  private static final String PAID = "scale.order.paid";
  private static final String REGISTRY = "router_scale_registry";
  private static final String READER = "router_scale_reader";
  private static final String ACTIVITY_DB = "router_scale_activity";
  private static final int MAX_BYTES = 4096;

  private static StackEndpoints stack;
  private static WorkerProcess worker;
  private static WorkerProcess router;
  private static int routerGeneration;
  private static KafkaProducer<byte[], byte[]> producer;
  private static Admin admin;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient client;
  private static Map<String, String> routerEnv;

  /** One record of the stream. */
  private record Planned(String key, byte[] value, MalformedRecords.Malformed malformed) {}

  @BeforeAll
  static void start(StackEndpoints endpoints) throws Exception {
    stack = endpoints;
    String registryUrl = stack.postgres().freshDatabase(REGISTRY, REGISTRY, "pw");
    stack.postgres().ensureLoginRole(READER, "pw");
    try (HikariDataSource owner =
        Databases.pool(new DatabaseSettings(registryUrl, REGISTRY, "pw", 2), "it-scale-owner")) {
      RegistrySchema.migrate(owner);
      RegistryGrants.grantRead(owner, List.of(READER));
    }
    sql(
        REGISTRY,
        activity(INVOICE, PLACED),
        activity(AUDIT, PLACED),
        activity(SUBJECT, PAID),
        route("scale-invoice", INVOICE, PLACED, "[]", "START"),
        route(
            "scale-audit",
            AUDIT,
            PLACED,
            "[{\"path\": \"$.payload.audit\", \"equals\": true}]",
            "START"),
        route(
            "scale-subject",
            SUBJECT,
            PAID,
            "[{\"path\": \"$.subject\", \"prefix\": \"account/\"}]",
            "SIGNAL_WITH_START"));
    stack.postgres().freshDatabase(ACTIVITY_DB, ACTIVITY_DB, "pw");

    admin = Admin.create(kafka());
    admin
        .createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1), new NewTopic(DLQ, 1, (short) 1)))
        .all()
        .get();
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
    routerEnv.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    routerEnv.put("ROUTER_TOPICS", TOPIC);
    routerEnv.put("ROUTER_DLQ_TOPIC", DLQ);
    routerEnv.put("ROUTER_GROUP_ID", GROUP);
    // Each restart is the same replica (a container restarted in its pod), as the chart names it.
    routerEnv.put("ROUTER_GROUP_INSTANCE_ID", "event-router-scale");
    routerEnv.put("ROUTER_MAX_RECORD_BYTES", Integer.toString(MAX_BYTES));
    routerEnv.put("ROUTER_MAX_BACKOFF_SECONDS", "2");
    routerEnv.put("REGISTRY_DB_URL", registryUrl);
    routerEnv.put("REGISTRY_DB_USER", READER);
    routerEnv.put("REGISTRY_DB_PASSWORD", "pw");
    routerEnv.put("SHUTDOWN_GRACE_SECONDS", "5");
    startRouter();

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
      router.stop(Duration.ofSeconds(30));
    }
    if (worker != null) {
      worker.stop(Duration.ofSeconds(30));
    }
    if (producer != null) {
      producer.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
  }

  @Test
  void everyEventHasExactlyOneEffectThroughKillsAndATemporalRestart(DevStack devStack)
      throws Exception {
    // --- the stream -------------------------------------------------------------------------
    Set<String> invoiceEvents = new HashSet<>();
    Set<String> auditEvents = new HashSet<>();
    Set<String> subjectEvents = new HashSet<>();
    int signalled = EVENTS / 10 * SIGNALLED_PER_TEN / EVENTS_PER_SUBJECT * EVENTS_PER_SUBJECT;
    int subjects = signalled / EVENTS_PER_SUBJECT;
    List<Planned> events = new ArrayList<>();
    int nextSignalled = 0;
    for (int i = 0; i < EVENTS; i++) {
      boolean toSubject = i % 10 < SIGNALLED_PER_TEN && nextSignalled < signalled;
      if (toSubject) {
        // Round robin over the subjects: each subject's events are spread over the stream, in
        // their order (seq), interleaved with every other subject's.
        int j = nextSignalled++;
        String subject = "account/a-" + (j % subjects);
        String id = RUN + "-s" + (j % subjects) + "-" + (j / subjects);
        subjectEvents.add(id);
        events.add(
            new Planned(
                subject, bytes(event(id, PAID, subject, "{\"seq\": " + j / subjects + "}")), null));
      } else {
        String subject = "order/o-" + i;
        String id = RUN + "-o" + i;
        boolean audit = i % AUDIT_EVERY == 0;
        invoiceEvents.add(id);
        if (audit) {
          auditEvents.add(id);
        }
        events.add(
            new Planned(
                subject, bytes(event(id, PLACED, subject, "{\"audit\": " + audit + "}")), null));
      }
    }
    // 2% redelivered: the same record again, 37 records later (or at the end), as a producer retry
    // or a replay would send it. One event of each block of 50, at a varying place in the block, so
    // that START and signalled events are both redelivered.
    TreeMap<Integer, List<Planned>> later = new TreeMap<>();
    int duplicates = 0;
    int signalledDuplicates = 0;
    for (int block = 0; block * DUPLICATE_EVERY < events.size(); block++) {
      int i = block * DUPLICATE_EVERY + block % 10;
      if (i >= events.size()) {
        break;
      }
      later
          .computeIfAbsent(Math.min(i + 37, events.size()), k -> new ArrayList<>())
          .add(events.get(i));
      duplicates++;
      signalledDuplicates += events.get(i).key().startsWith("account/") ? 1 : 0;
    }
    // Malformed records spread evenly, cycling through every kind.
    int kinds = MalformedRecords.all("kinds", MAX_BYTES).size();
    for (int k = 0; k < MALFORMED; k++) {
      MalformedRecords.Malformed m =
          MalformedRecords.all(RUN + "-bad" + k, MAX_BYTES).get(k % kinds);
      int at = (int) ((long) events.size() * k / MALFORMED);
      later.computeIfAbsent(at, x -> new ArrayList<>()).add(new Planned("bad-" + k, m.value(), m));
    }
    List<Planned> stream = new ArrayList<>();
    for (int i = 0; i <= events.size(); i++) {
      stream.addAll(later.getOrDefault(i, List.of()));
      if (i < events.size()) {
        stream.add(events.get(i));
      }
    }
    long expectedRuns = invoiceEvents.size() + auditEvents.size() + subjectEvents.size();

    // --- produce in waves; a fault in each ------------------------------------------------------
    long started = System.nanoTime();
    Map<String, MalformedRecords.Malformed> malformedAt = new HashMap<>();
    int produced = 0;
    int restarts = 0;
    long outageMillis = 0;
    for (int wave = 0; wave < WAVES; wave++) {
      List<Planned> records =
          stream.subList(stream.size() * wave / WAVES, stream.size() * (wave + 1) / WAVES);
      Map<Future<RecordMetadata>, MalformedRecords.Malformed> sent = new HashMap<>();
      for (Planned p : records) {
        Future<RecordMetadata> at =
            producer.send(new ProducerRecord<>(TOPIC, bytes(p.key()), p.value()));
        if (p.malformed() != null) {
          sent.put(at, p.malformed());
        }
      }
      producer.flush();
      for (var e : sent.entrySet()) {
        RecordMetadata at = e.getKey().get();
        malformedAt.put(at.partition() + "@" + at.offset(), e.getValue());
      }
      long midWave = produced + records.size() / 4;
      produced += records.size();
      if (wave == WAVES - 1) {
        break;
      }
      Awaitility.await("the router handles a quarter of wave " + (wave + 1))
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> committed() >= midWave);
      if (wave < KILLS) {
        router.kill();
        router.awaitExit(Duration.ofSeconds(30));
        startRouter();
      } else {
        // A restart in the middle of the stream: the router's requests fail or hang meanwhile and
        // are
        // retried (the SDK's own retries first, then the router's backoff), in order.
        long down = System.nanoTime();
        devStack.stopTemporalServer();
        devStack.startTemporalServer();
        restarts++;
        outageMillis = Duration.ofNanos(System.nanoTime() - down).toMillis();
      }
    }

    // --- exactly the expected effects ---------------------------------------------------------
    Duration budget = Duration.ofSeconds(300 + EVENTS / 5);
    Awaitility.await("every event's run finished its tasks")
        .atMost(budget)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                count("select count(*) from activity_run where outcome = 'TASKS_CREATED'")
                    >= expectedRuns);
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    int total = produced;
    Awaitility.await("the group committed every record: nothing lost, nothing left")
        .atMost(Duration.ofMinutes(2))
        .until(() -> committed() == total);
    assertThat(endOffsets()).as("log end = records produced").isEqualTo(total);

    assertThat(triggerEvents(INVOICE))
        .as("one invoice run per placed event")
        .isEqualTo(invoiceEvents);
    assertThat(triggerEvents(AUDIT))
        .as("one audit run per placed event with audit=true")
        .isEqualTo(auditEvents);
    assertThat(triggerEvents(SUBJECT)).as("one run per paid event").isEqualTo(subjectEvents);
    assertThat(count("select count(*) from activity_run"))
        .as("one execution per run")
        .isEqualTo(expectedRuns);
    assertThat(count("select count(distinct workflow_id) from activity_run"))
        .isEqualTo(expectedRuns);
    assertThat(count("select count(*) from task_instance"))
        .as("one task per run (default rule)")
        .isEqualTo(expectedRuns);
    assertThat(count("select count(*) from task_outbox"))
        .as("one TaskCreated per task")
        .isEqualTo(expectedRuns);

    String runs = "WorkflowType = 'RunActivityWorkflow' AND TaskQueue = '" + TASK_QUEUE + "'";
    Awaitility.await("visibility lists each run once, completed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(
                      client.countWorkflows(runs + " AND ExecutionStatus = 'Completed'").getCount())
                  .isEqualTo(expectedRuns);
              assertThat(client.countWorkflows(runs).getCount()).isEqualTo(expectedRuns);
            });
    String chains = "WorkflowType = 'SubjectEventsWorkflow' AND TaskQueue = '" + TASK_QUEUE + "'";
    assertThat(client.countWorkflows(chains).getCount())
        .as("one workflow per subject")
        .isEqualTo(subjects);

    // Each subject's workflow handled each of its events once, in order, and ignored redeliveries.
    long handled = 0;
    long ignored = 0;
    for (int s = 0; s < subjects; s++) {
      String subject = "account/a-" + s;
      SubjectEventsState state =
          client
              .newWorkflowStub(
                  SubjectEventsWorkflow.class, WorkflowIds.subjectEvents(SUBJECT, subject))
              .state();
      assertThat(state.counts().handled()).as(subject).isEqualTo(EVENTS_PER_SUBJECT);
      assertThat(state.counts().alreadyRun()).as(subject + ": a run started twice").isZero();
      assertThat(state.counts().failed()).as(subject).isZero();
      assertThat(state.counts().rejected()).as(subject).isZero();
      assertThat(state.pending()).as(subject).isZero();
      handled += state.counts().handled();
      ignored += state.counts().duplicates();
    }
    assertThat(handled).isEqualTo(signalled);
    assertThat(ignored)
        .as("redelivered signals ignored (more when a kill made the router signal again)")
        .isGreaterThanOrEqualTo(signalledDuplicates);
    Map<String, List<Integer>> order = subjectOrder();
    assertThat(order).hasSize(subjects);
    order.forEach(
        (subject, seqs) ->
            assertThat(seqs)
                .as("runs of subject %s in the order of its events", subject)
                .containsExactly(
                    IntStream.range(0, EVENTS_PER_SUBJECT).boxed().toArray(Integer[]::new)));

    // The dead letters: each malformed record exactly once (read_committed), with its reason.
    Map<String, Integer> copies = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> letter : readDeadLetters(MALFORMED, "read_committed")) {
      String at =
          header(letter, DeadLetterWriter.SOURCE_PARTITION)
              + "@"
              + header(letter, DeadLetterWriter.SOURCE_OFFSET);
      MalformedRecords.Malformed m = malformedAt.get(at);
      assertThat(m).as("dead letter %s is one of the malformed records sent", at).isNotNull();
      assertThat(header(letter, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo(TOPIC);
      assertThat(letter.value()).as(m.name() + ": original bytes").isEqualTo(m.value());
      assertThat(header(letter, DeadLetterWriter.REASON_KIND))
          .as(m.name())
          .isEqualTo(m.kind().label());
      assertThat(header(letter, DeadLetterWriter.REASON))
          .as(m.name())
          .contains(m.words())
          .contains("accepted");
      copies.merge(at, 1, Integer::sum);
    }
    assertThat(copies.keySet())
        .as("every malformed record is on the DLQ")
        .isEqualTo(malformedAt.keySet());
    int dlq = copies.values().stream().mapToInt(Integer::intValue).sum();
    // Uncommitted copies (a router killed inside a commit transaction) are there but not read.
    int uncommitted = readDeadLetters(dlq, "read_uncommitted").size() - dlq;
    long kindsUsed =
        malformedAt.values().stream().map(MalformedRecords.Malformed::name).distinct().count();

    String summary =
        String.format(
            "router scale: events=%d records=%d (redelivered=%d, malformed=%d of %d kinds)"
                + " runs=%d (start=%d, via %d subject workflows=%d) signals handled=%d ignored=%d"
                + " dlq=%d (source records=%d, aborted copies=%d) kills=%d temporal_restarts=%d"
                + " (down %d ms) seconds=%d",
            EVENTS,
            total,
            duplicates,
            MALFORMED,
            kindsUsed,
            expectedRuns,
            invoiceEvents.size() + auditEvents.size(),
            subjects,
            subjectEvents.size(),
            handled,
            ignored,
            dlq,
            copies.size(),
            uncommitted,
            KILLS,
            restarts,
            outageMillis,
            seconds);
    System.out.println(summary);
    assertThat(kindsUsed).isGreaterThanOrEqualTo(Math.min(20, MALFORMED));
    assertThat(restarts).isEqualTo(1);
    // Dead letters and their offsets commit in one transaction: a kill between them aborts both,
    // so a read_committed reader sees every malformed record exactly once.
    assertThat(copies)
        .as("each malformed record exactly once on the DLQ (read_committed)")
        .allSatisfy((at, n) -> assertThat(n).as(at).isOne());
    assertThat(dlq).isEqualTo(MALFORMED);
  }

  // --- helpers ------------------------------------------------------------------------------

  private static void startRouter() {
    router = process("event-router-" + routerGeneration++, RouterMain.class.getName(), routerEnv);
    router.awaitReady(Duration.ofSeconds(120));
  }

  private static Properties kafka() {
    Properties p = new Properties();
    p.put("bootstrap.servers", stack.kafkaBootstrapServers());
    return p;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String event(String id, String type, String subject, String payload) {
    return "{\"event_id\": \""
        + id
        + "\", \"type\": \""
        + type
        + "\", \"source\": \"bp/router-scale-it\", \"occurred_at\": \"2026-11-21T10:00:00Z\","
        + " \"subject\": \""
        + subject
        + "\", \"schema_version\": \"1.0\", \"payload\": "
        + payload
        + "}";
  }

  /** Sum of the group's committed offsets on the topic (0 before the first commit). */
  private static long committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private static long endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < 3; p++) {
      latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(
      int atLeast, String isolation) {
    Properties p = kafka();
    p.put("group.id", "router-scale-dlq-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", isolation);
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(DLQ));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (letters.size() < atLeast && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(letters::add);
      }
      // Whatever else is there.
      consumer.poll(Duration.ofSeconds(2)).forEach(letters::add);
    }
    return letters;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Set<String> triggerEvents(String activityId) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = stack.postgres().connect(ACTIVITY_DB);
        PreparedStatement ps =
            c.prepareStatement("select trigger_event_id from activity_run where activity_id = ?")) {
      ps.setString(1, activityId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** Per subject, the seq of its events in the order their runs started. */
  private static Map<String, List<Integer>> subjectOrder() throws SQLException {
    Pattern id = Pattern.compile(Pattern.quote(RUN) + "-s(\\d+)-(\\d+)");
    Map<String, List<Integer>> order = new TreeMap<>();
    try (Connection c = stack.postgres().connect(ACTIVITY_DB);
        PreparedStatement ps =
            c.prepareStatement(
                "select trigger_event_id from activity_run where activity_id = ?"
                    + " order by started_at, trigger_event_id")) {
      ps.setString(1, SUBJECT);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Matcher m = id.matcher(rs.getString(1));
          assertThat(m.matches()).as(rs.getString(1)).isTrue();
          order
              .computeIfAbsent("account/a-" + m.group(1), k -> new ArrayList<>())
              .add(Integer.parseInt(m.group(2)));
        }
      }
    }
    return order;
  }

  private static long count(String query) throws SQLException {
    try (Connection c = stack.postgres().connect(ACTIVITY_DB);
        PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static WorkerProcess process(String name, String mainClass, Map<String, String> env) {
    Path log = Path.of("target/worker-logs").toAbsolutePath().resolve(name + "-" + RUN + ".log");
    return WorkerProcess.start(
        name, WorkerProcess.testClasspathCommand(mainClass, List.of("-Xmx384m")), env, log);
  }

  private static String activity(String id, String eventType) {
    return "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger, owner)"
        + " values ('"
        + id
        + "', 'pipelines', 'RunActivityWorkflow', '"
        + TASK_QUEUE
        + "', '{\"event_types\": [\""
        + eventType
        + "\"]}'::jsonb, 'team-it')";
  }

  private static String route(
      String routeId, String activityId, String eventType, String filters, String delivery) {
    return "insert into event_route (route_id, activity_id, event_type, filters, delivery) values ('"
        + routeId
        + "', '"
        + activityId
        + "', '"
        + eventType
        + "', '"
        + filters
        + "'::jsonb, '"
        + delivery
        + "')";
  }

  private static void sql(String database, String... statements) throws SQLException {
    try (Connection c = stack.postgres().connect(database)) {
      for (String statement : statements) {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.execute();
        }
      }
    }
  }
}
