package io.bptemporal.router.demo;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.contracts.naming.Topics;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.logging.Logging;
import io.bptemporal.router.kafka.DeadLetterWriter;
import io.bptemporal.router.kafka.KafkaSettings;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code make run} demo of the event router (a task: runs once and exits). Publishes to {@code
 * bp.events}, keyed by subject as every producer does:
 *
 * <ul>
 *   <li>three {@code demo.order.placed} events: route {@code demo-order-placed} (START) starts one
 *       RunActivity run each;
 *   <li>three {@code demo.account.changed} events of one account: route {@code demo-account-events}
 *       (SIGNAL_WITH_START) hands them to the account's SubjectEventsWorkflow, which runs them one
 *       at a time, in order;
 *   <li>the first order event once more (a redelivery: it starts nothing);
 *   <li>one malformed record (its type is not in the accepted format): dead-lettered with the
 *       reason.
 * </ul>
 *
 * Then it waits for the runs, prints their Web UI links and the dead letter's reason. The routes
 * and activities are the scheduler's dev seed ({@code SCHEDULER_SEED=dev}, docs/scheduler.md).
 * Exits 1 when a run does not complete, a redelivery started a second run or the dead letter does
 * not arrive within DEMO_TIMEOUT_SECONDS (default 120).
 *
 * <p>Environment: KAFKA_* as the router reads them, TEMPORAL_* as every process, TEMPORAL_UI_URL
 * (default {@value #DEFAULT_UI}).
 */
public final class EventDemoMain {
  static final String DEFAULT_UI = "http://127.0.0.1:8233";
  static final String ORDER_ACTIVITY = "demo-order-placed";
  static final String ACCOUNT_ACTIVITY = "demo-account-events";
  private static final String PREFIX = "event-demo: ";

  private EventDemoMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    Logging.configure(TelemetryConfig.fromEnvironment(env, "event-demo"));
    TemporalSettings temporal =
        TemporalSettings.fromEnvironment(env, Namespaces.PIPELINES.name(), TaskQueues.ACTIVITIES);
    KafkaSettings kafka = KafkaSettings.fromEnvironment(env);
    String ui = env.string("TEMPORAL_UI_URL", DEFAULT_UI).replaceAll("/+$", "");
    Duration timeout =
        env.seconds("DEMO_TIMEOUT_SECONDS", Duration.ofSeconds(120), Duration.ofHours(1));
    env.validateOrExit("event-demo");
    System.exit(run(temporal, kafka, ui, timeout) ? 0 : 1);
  }

  private static boolean run(
      TemporalSettings temporal, KafkaSettings kafka, String ui, Duration timeout)
      throws Exception {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String account = "account/demo-" + stamp;
    Map<String, String> runs = new LinkedHashMap<>(); // workflow id -> what it is
    String malformedKey = "demo-malformed-" + stamp;
    String topic = Topics.EVENTS.name();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerProperties(kafka), new ByteArraySerializer(), new ByteArraySerializer())) {
      String firstOrder = null;
      for (int i = 1; i <= 3; i++) {
        String id = "demo-order-" + stamp + "-" + i;
        String subject = "order/demo-" + stamp + "-" + i;
        String value =
            envelope(
                id,
                "demo.order.placed",
                subject,
                "{\"order_id\": \"o-" + i + "\", \"amount\": " + (10 * i) + "}");
        send(producer, topic, subject, value);
        if (firstOrder == null) {
          firstOrder = value;
        }
        runs.put(WorkflowIds.eventRun(ORDER_ACTIVITY, id), "demo.order.placed " + id + " (START)");
      }
      String[] changes = {"email", "address", "plan"};
      for (int i = 1; i <= 3; i++) {
        String id = "demo-account-" + stamp + "-" + i;
        send(
            producer,
            topic,
            account,
            envelope(
                id, "demo.account.changed", account, "{\"change\": \"" + changes[i - 1] + "\"}"));
        runs.put(
            WorkflowIds.eventRun(ACCOUNT_ACTIVITY, id),
            "demo.account.changed " + id + " (SIGNAL_WITH_START, " + account + " #" + i + ")");
      }
      // A redelivery, as a producer retry or a replay sends it: the same bytes again.
      send(producer, topic, "order/demo-" + stamp + "-1", firstOrder);
      // A record no route can take: the type must be dot-separated lowercase words.
      send(
          producer,
          topic,
          malformedKey,
          envelope("demo-bad-" + stamp, "OrderPlaced", "order/demo-bad", "{}"));
    }
    System.out.println(
        PREFIX
            + "published 8 records to "
            + topic
            + ": 3 demo.order.placed, 3 demo.account.changed of "
            + account
            + ", 1 redelivery of the first order event, 1 malformed (key "
            + malformedKey
            + ")");

    boolean ok = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (TemporalConnection connection = TemporalConnection.open(temporal, Optional.empty())) {
      for (Map.Entry<String, String> run : runs.entrySet()) {
        Optional<DescribeWorkflowExecutionResponse> done =
            awaitCompleted(connection, temporal.namespace(), run.getKey(), deadline);
        if (done.isEmpty()) {
          System.out.println(
              PREFIX + "NOT COMPLETED in time: " + run.getValue() + " -> " + run.getKey());
          ok = false;
          continue;
        }
        WorkflowExecution execution = done.get().getWorkflowExecutionInfo().getExecution();
        System.out.println(
            PREFIX
                + run.getValue()
                + " -> run "
                + execution.getWorkflowId()
                + " completed: "
                + link(ui, temporal.namespace(), execution));
      }
      WorkflowClient client = connection.client(List.of());
      String firstRun = runs.keySet().iterator().next();
      long executions = client.countWorkflows("WorkflowId = '" + firstRun + "'").getCount();
      System.out.println(
          PREFIX
              + "the redelivered event: "
              + executions
              + " run of "
              + firstRun
              + (executions == 1
                  ? " (the second start was refused as a duplicate: the redelivery started nothing)"
                  : " - EXPECTED 1"));
      ok &= executions == 1;
      String chain = WorkflowIds.subjectEvents(ACCOUNT_ACTIVITY, account);
      try {
        SubjectEventsState state =
            client.newWorkflowStub(SubjectEventsWorkflow.class, chain).state();
        System.out.println(
            PREFIX
                + "account "
                + account
                + ": SubjectEventsWorkflow "
                + chain
                + " handled "
                + state.counts().handled()
                + " events in order "
                + state.lastEventIds()
                + ": "
                + ui
                + "/namespaces/"
                + temporal.namespace()
                + "/workflows/"
                + URLEncoder.encode(chain, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        System.out.println(PREFIX + "cannot query " + chain + ": " + e.getMessage());
        ok = false;
      }
    }

    Optional<ConsumerRecord<byte[], byte[]>> letter =
        awaitDeadLetter(kafka, malformedKey, deadline);
    if (letter.isEmpty()) {
      System.out.println(PREFIX + "NO dead letter with key " + malformedKey + " in time");
      ok = false;
    } else {
      System.out.println(
          PREFIX
              + "dead-lettered to "
              + Topics.DEAD_LETTER.name()
              + " ("
              + header(letter.get(), DeadLetterWriter.REASON_KIND)
              + "): "
              + header(letter.get(), DeadLetterWriter.REASON));
    }
    System.out.println(
        PREFIX
            + (ok ? "done" : "FAILED")
            + "; all runs: "
            + ui
            + "/namespaces/"
            + temporal.namespace()
            + "/workflows");
    return ok;
  }

  static String envelope(String id, String type, String subject, String payload) {
    return "{\"event_id\": \""
        + id
        + "\", \"type\": \""
        + type
        + "\", \"source\": \"bp/event-demo\", \"occurred_at\": \""
        + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + "\", \"subject\": \""
        + subject
        + "\", \"schema_version\": \"1.0\", \"payload\": "
        + payload
        + "}";
  }

  private static Properties producerProperties(KafkaSettings kafka) {
    Properties p = kafka.clientProperties("event-demo");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    return p;
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String key, String value)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  private static Optional<DescribeWorkflowExecutionResponse> awaitCompleted(
      TemporalConnection connection, String namespace, String workflowId, long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      try {
        DescribeWorkflowExecutionResponse response =
            connection
                .stubs()
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
        if (response.getWorkflowExecutionInfo().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
          return Optional.of(response);
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
      }
      Thread.sleep(250);
    }
    return Optional.empty();
  }

  private static Optional<ConsumerRecord<byte[], byte[]>> awaitDeadLetter(
      KafkaSettings kafka, String key, long deadline) {
    Properties p = kafka.clientProperties("event-demo-dlq");
    p.put("enable.auto.commit", "false");
    // The router writes dead letters in transactions: only committed ones count.
    p.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int i = 0; i < Topics.DEAD_LETTER.partitions(); i++) {
        partitions.add(new TopicPartition(Topics.DEAD_LETTER.name(), i));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null
              && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
            return Optional.of(record);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "(none)" : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String link(String ui, String namespace, WorkflowExecution execution) {
    return ui
        + "/namespaces/"
        + namespace
        + "/workflows/"
        + URLEncoder.encode(execution.getWorkflowId(), StandardCharsets.UTF_8)
        + "/"
        + execution.getRunId()
        + "/history";
  }
}
