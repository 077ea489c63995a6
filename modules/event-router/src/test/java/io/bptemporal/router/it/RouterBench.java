package io.bptemporal.router.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.worker.ActivityWorkerMain;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.router.RouterMain;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dev-stack set-up of the router's scale and fault scenarios ({@link EventRouterScaleIT},
 * {@link EventRouterFaultsIT}) and what they read back: a registry of its own with three activities
 * and their routes ({@code START}, filtered {@code START}, {@code SIGNAL_WITH_START}), an activity
 * database, a topic (3 partitions) and DLQ, the activity worker and the router as OS processes (the
 * router a static group member, restarted as the same replica), a producer and a Temporal client.
 * With {@code relay}, the router also runs the outbox relay of the activity worker's {@code
 * task_outbox} to a topic of its own ({@link #outboxTopic}).
 */
final class RouterBench implements AutoCloseable {
  static final String INVOICE = "scale-invoice";
  static final String AUDIT = "scale-audit";
  static final String SUBJECT = "scale-subject";
  static final String PLACED = "scale.order.placed";
  static final String PAID = "scale.order.paid";
  static final int MAX_BYTES = 4096;
  static final int PARTITIONS = 3;

  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String topic;
  final String dlq;
  final String outboxTopic;
  final String group;
  final String taskQueue;
  private final String name;
  private final String activityDb;
  private final StackEndpoints stack;
  private final Map<String, String> routerEnv = new HashMap<>();
  private final WorkflowServiceStubs stubs;
  final WorkflowClient client;
  final Admin admin;
  final KafkaProducer<byte[], byte[]> producer;
  private WorkerProcess worker;
  private WorkerProcess router;
  private int routerGeneration;

  /**
   * Sets it all up and starts the activity worker and the router.
   *
   * @param name names the topics, group, task queue and processes ({@code <name>-<run>}) and, with
   *     '-' as '_', the databases and roles
   */
  RouterBench(StackEndpoints stack, String name, boolean relay) throws Exception {
    this.stack = stack;
    this.name = name;
    this.topic = name + "-" + run;
    this.dlq = topic + ".dlq";
    this.outboxTopic = topic + ".outbox";
    this.group = name + "-" + run;
    this.taskQueue = name + "-" + run;
    String db = name.replace('-', '_');
    String registry = db + "_registry";
    String reader = db + "_reader";
    String relayRole = db + "_relay";
    this.activityDb = db + "_activity";

    String registryUrl = stack.postgres().freshDatabase(registry, registry, "pw");
    stack.postgres().ensureLoginRole(reader, "pw");
    try (HikariDataSource owner =
        Databases.pool(new DatabaseSettings(registryUrl, registry, "pw", 2), name + "-owner")) {
      RegistrySchema.migrate(owner);
      RegistryGrants.grantRead(owner, List.of(reader));
    }
    sql(
        registry,
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
    stack.postgres().freshDatabase(activityDb, activityDb, "pw");

    admin = Admin.create(kafka());
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(topic, PARTITIONS, (short) 1));
    topics.add(new NewTopic(dlq, 1, (short) 1));
    if (relay) {
      topics.add(new NewTopic(outboxTopic, PARTITIONS, (short) 1));
    }
    admin.createTopics(topics).all().get();
    producer = new KafkaProducer<>(kafka(), new ByteArraySerializer(), new ByteArraySerializer());

    Map<String, String> workerEnv = new HashMap<>();
    workerEnv.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    workerEnv.put("TEMPORAL_NAMESPACE", Namespaces.PIPELINES.name());
    workerEnv.put("TEMPORAL_TASK_QUEUE", taskQueue);
    workerEnv.put("DB_URL", stack.postgres().jdbcUrl(activityDb));
    workerEnv.put("DB_USER", activityDb);
    workerEnv.put("DB_PASSWORD", "pw");
    workerEnv.put("REGISTRY_DB_URL", registryUrl);
    workerEnv.put("REGISTRY_DB_USER", reader);
    workerEnv.put("REGISTRY_DB_PASSWORD", "pw");
    workerEnv.put("SHUTDOWN_GRACE_SECONDS", "5");
    if (relay) {
      stack.postgres().ensureLoginRole(relayRole, "pw");
      // The worker grants the relay's role its outbox after its migration, as in the chart.
      workerEnv.put("OUTBOX_RELAY_ROLES", relayRole);
    }
    worker = process("activity-worker", ActivityWorkerMain.class.getName(), workerEnv);
    worker.awaitReady(Duration.ofSeconds(120));

    routerEnv.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    routerEnv.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    routerEnv.put("ROUTER_TOPICS", topic);
    routerEnv.put("ROUTER_DLQ_TOPIC", dlq);
    routerEnv.put("ROUTER_GROUP_ID", group);
    // Each restart is the same replica (a container restarted in its pod), as the chart names it.
    routerEnv.put("ROUTER_GROUP_INSTANCE_ID", name);
    routerEnv.put("ROUTER_MAX_RECORD_BYTES", Integer.toString(MAX_BYTES));
    routerEnv.put("ROUTER_MAX_BACKOFF_SECONDS", "2");
    routerEnv.put("REGISTRY_DB_URL", registryUrl);
    routerEnv.put("REGISTRY_DB_USER", reader);
    routerEnv.put("REGISTRY_DB_PASSWORD", "pw");
    routerEnv.put("SHUTDOWN_GRACE_SECONDS", "5");
    if (relay) {
      routerEnv.put("RELAY_SOURCES", "activity");
      routerEnv.put("RELAY_ACTIVITY_DB_URL", stack.postgres().jdbcUrl(activityDb));
      routerEnv.put("RELAY_ACTIVITY_DB_USER", relayRole);
      routerEnv.put("RELAY_ACTIVITY_DB_PASSWORD", "pw");
      routerEnv.put("RELAY_TOPIC", outboxTopic);
      routerEnv.put("RELAY_MAX_BACKOFF_SECONDS", "2");
    }
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

  @Override
  public void close() {
    if (router != null) {
      router.stop(Duration.ofSeconds(30));
    }
    if (worker != null) {
      worker.stop(Duration.ofSeconds(30));
    }
    producer.close();
    admin.close();
    if (stubs != null) {
      stubs.shutdownNow();
    }
  }

  /** Starts a router process (the same static member as before) and waits until it is ready. */
  void startRouter() {
    router = process("event-router-" + routerGeneration++, RouterMain.class.getName(), routerEnv);
    router.awaitReady(Duration.ofSeconds(120));
  }

  /** The router process running now. */
  WorkerProcess router() {
    return router;
  }

  /** SIGKILLs the router process and waits for its end. */
  void killRouter() {
    router.kill();
    router.awaitExit(Duration.ofSeconds(30));
  }

  /** Router processes started so far. */
  int routerProcesses() {
    return routerGeneration;
  }

  Properties kafka() {
    Properties p = new Properties();
    p.put("bootstrap.servers", stack.kafkaBootstrapServers());
    return p;
  }

  /** Sum of the group's committed offsets on the topic (0 before the first commit). */
  long committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  /** Sum of the topic's log-end offsets (= records produced to it). */
  long endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  /** The DLQ's records as a reader with {@code isolation} sees them: at least {@code atLeast}. */
  List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int atLeast, String isolation) {
    return read(dlq, atLeast, isolation);
  }

  /**
   * Reads {@code topic} from the start until {@code atLeast} records came (bounded at 2 min), then
   * whatever else is there (until a poll of 2 s finds nothing).
   */
  List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast, String isolation) {
    Properties p = kafka();
    p.put("group.id", name + "-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", isolation);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (records.size() < atLeast && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      // Whatever else is there: until a poll comes back empty.
      while (true) {
        var more = consumer.poll(Duration.ofSeconds(2));
        if (more.isEmpty()) {
          break;
        }
        more.forEach(records::add);
      }
    }
    return records;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Per activity id, per trigger event id: how many {@code activity_run} rows (executions). */
  Map<String, Map<String, Integer>> runsByActivity() throws SQLException {
    Map<String, Map<String, Integer>> runs = new TreeMap<>();
    try (Connection c = stack.postgres().connect(activityDb);
        PreparedStatement ps =
            c.prepareStatement("select activity_id, trigger_event_id from activity_run");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        runs.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
            .merge(rs.getString(2), 1, Integer::sum);
      }
    }
    return runs;
  }

  /**
   * Per subject, the seq of its events in the order their runs started (trigger ids of {@code run}
   * for the subject route).
   */
  Map<String, List<Integer>> subjectOrder() throws SQLException {
    Pattern id = Pattern.compile(Pattern.quote(run) + "-s(\\d+)-(\\d+)");
    Map<String, List<Integer>> order = new TreeMap<>();
    try (Connection c = stack.postgres().connect(activityDb);
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
              .computeIfAbsent(
                  RouterStream.subject(Integer.parseInt(m.group(1))), k -> new ArrayList<>())
              .add(Integer.parseInt(m.group(2)));
        }
      }
    }
    return order;
  }

  /** The state of the subject route's SubjectEventsWorkflow for {@code subject}. */
  SubjectEventsState subjectState(String subject) {
    return client
        .newWorkflowStub(SubjectEventsWorkflow.class, WorkflowIds.subjectEvents(SUBJECT, subject))
        .state();
  }

  /**
   * RunActivityWorkflow executions of this bench's task queue matching {@code and} (visibility).
   */
  long runActivityWorkflows(String and) {
    return client
        .countWorkflows(
            "WorkflowType = 'RunActivityWorkflow' AND TaskQueue = '" + taskQueue + "'" + and)
        .getCount();
  }

  /** SubjectEventsWorkflow executions of this bench's task queue (visibility). */
  long subjectWorkflows() {
    return client
        .countWorkflows(
            "WorkflowType = 'SubjectEventsWorkflow' AND TaskQueue = '" + taskQueue + "'")
        .getCount();
  }

  /** A single number from the activity database. */
  long count(String query) throws SQLException {
    try (Connection c = stack.postgres().connect(activityDb);
        PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The {@code event_id}s of the activity database's {@code task_outbox}. */
  List<String> outboxEventIds() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = stack.postgres().connect(activityDb);
        PreparedStatement ps = c.prepareStatement("select event_id from task_outbox");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private WorkerProcess process(String process, String mainClass, Map<String, String> env) {
    Path log = Path.of("target/worker-logs").toAbsolutePath().resolve(process + "-" + run + ".log");
    return WorkerProcess.start(
        process, WorkerProcess.testClasspathCommand(mainClass, List.of("-Xmx384m")), env, log);
  }

  private String activity(String id, String eventType) {
    return "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger, owner)"
        + " values ('"
        + id
        + "', 'pipelines', 'RunActivityWorkflow', '"
        + taskQueue
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

  private void sql(String database, String... statements) throws SQLException {
    try (Connection c = stack.postgres().connect(database)) {
      for (String statement : statements) {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.execute();
        }
      }
    }
  }
}
