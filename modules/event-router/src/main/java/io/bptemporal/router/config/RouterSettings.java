package io.bptemporal.router.config;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.contracts.naming.Topics;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.router.kafka.KafkaSettings;
import io.bptemporal.router.relay.RelaySettings;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.temporal.TemporalSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the event router reads from its environment (docs/event-router.md#configuration): the
 * common TEMPORAL_*, MANAGEMENT_PORT, LOG_*, OTEL_* and SHUTDOWN_GRACE_SECONDS; KAFKA_* for the
 * broker; REGISTRY_DB_* for the routes (read-only, like the activity worker's); ROUTER_* for
 * topics, consumer group and limits; RELAY_* for the outbox relay ({@link RelaySettings}).
 *
 * @param topics the topics consumed, e.g. {@code bp.events}
 * @param deadLetterTopic where records the router cannot route go, e.g. {@code bp.events.dlq}
 * @param groupId the consumer group; all replicas share it, partitions are spread over them
 * @param groupInstanceId the consumer's static group membership (ROUTER_GROUP_INSTANCE_ID, the
 *     chart sets the pod name): a router restarted in the same pod takes its partitions back at
 *     once instead of after the broker's session timeout; empty for a dynamic member
 * @param maxRecordBytes a larger record value is dead-lettered unread
 * @param reloadInterval full reload of the routes as a safety net next to LISTEN/NOTIFY
 * @param maxBackoff the longest wait between two attempts of a record Temporal did not accept
 * @param relay the outbox relay (RELAY_*), off unless RELAY_SOURCES lists an outbox
 */
public record RouterSettings(
    TemporalSettings temporal,
    TelemetryConfig telemetry,
    KafkaSettings kafka,
    DatabaseSettings registry,
    List<String> topics,
    String deadLetterTopic,
    String groupId,
    Optional<String> groupInstanceId,
    int maxRecordBytes,
    Duration reloadInterval,
    Duration maxBackoff,
    Duration shutdownGrace,
    RelaySettings relay) {

  public static final String SERVICE = "event-router";

  /** The platform's event topic and its dead-letter topic (the dev stack creates both). */
  public static final String DEFAULT_TOPIC = Topics.EVENTS.name();

  public static final String DEFAULT_DLQ_TOPIC = Topics.DEAD_LETTER.name();
  public static final String DEFAULT_GROUP_ID = "bp-event-router";
  public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;

  /** The registry is read once per reload and by the change listener: two connections do. */
  static final int REGISTRY_POOL_SIZE = 2;

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  public RouterSettings {
    topics = List.copyOf(topics);
  }

  public static RouterSettings fromEnvironment(Environment env) {
    TemporalSettings temporal =
        TemporalSettings.fromEnvironment(env, Namespaces.PIPELINES.name(), TaskQueues.ACTIVITIES);
    TelemetryConfig telemetry = TelemetryConfig.fromEnvironment(env, SERVICE);
    KafkaSettings kafka = KafkaSettings.fromEnvironment(env);
    String topicList = env.string("ROUTER_TOPICS", DEFAULT_TOPIC);
    List<String> topics =
        Arrays.stream(topicList.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    if (topics.isEmpty() || !topics.stream().allMatch(t -> TOPIC.matcher(t).matches())) {
      env.problem(
          "ROUTER_TOPICS='"
              + topicList
              + "' is not accepted: use comma-separated topic names (letters, digits, '.', '_',"
              + " '-'), e.g. "
              + DEFAULT_TOPIC);
    }
    String dlq = env.string("ROUTER_DLQ_TOPIC", DEFAULT_DLQ_TOPIC);
    if (!TOPIC.matcher(dlq).matches() || topics.contains(dlq)) {
      env.problem(
          "ROUTER_DLQ_TOPIC='"
              + dlq
              + "' is not accepted: use a topic name (letters, digits, '.', '_', '-') that is not"
              + " one of ROUTER_TOPICS, e.g. "
              + DEFAULT_DLQ_TOPIC);
    }
    String group = env.string("ROUTER_GROUP_ID", DEFAULT_GROUP_ID);
    if (!TOPIC.matcher(group).matches()) {
      env.problem(
          "ROUTER_GROUP_ID='"
              + group
              + "' is not accepted: use letters, digits, '.', '_', '-', e.g. "
              + DEFAULT_GROUP_ID);
    }
    Optional<String> instance = env.optional("ROUTER_GROUP_INSTANCE_ID");
    if (instance.isPresent() && !TOPIC.matcher(instance.get()).matches()) {
      env.problem(
          "ROUTER_GROUP_INSTANCE_ID='"
              + instance.get()
              + "' is not accepted: use letters, digits, '.', '_', '-' (at most 249), unique per"
              + " replica, e.g. the pod name");
    }
    int maxBytes =
        env.integer("ROUTER_MAX_RECORD_BYTES", DEFAULT_MAX_RECORD_BYTES, 1024, 16 * 1024 * 1024);
    Duration reload =
        env.seconds("ROUTER_RELOAD_INTERVAL_SECONDS", Duration.ofSeconds(60), Duration.ofHours(1));
    if (reload.isZero()) {
      env.problem("ROUTER_RELOAD_INTERVAL_SECONDS=0 is not accepted: use 1 to 3600 seconds");
    }
    Duration backoff =
        env.seconds("ROUTER_MAX_BACKOFF_SECONDS", Duration.ofSeconds(30), Duration.ofMinutes(10));
    if (backoff.isZero()) {
      env.problem("ROUTER_MAX_BACKOFF_SECONDS=0 is not accepted: use 1 to 600 seconds");
    }
    Duration grace =
        env.seconds("SHUTDOWN_GRACE_SECONDS", Duration.ofSeconds(30), Duration.ofHours(1));
    RelaySettings relay = RelaySettings.fromEnvironment(env, dlq);
    return new RouterSettings(
        temporal,
        telemetry,
        kafka,
        registry(env),
        topics,
        dlq,
        group,
        instance,
        maxBytes,
        reload,
        backoff,
        grace,
        relay);
  }

  /**
   * Where the router reads the routes: REGISTRY_DB_URL, REGISTRY_DB_USER, REGISTRY_DB_PASSWORD, all
   * required; the user is one of the scheduler's REGISTRY_READER_ROLES (SELECT only).
   */
  static DatabaseSettings registry(Environment env) {
    String url =
        env.required(
            "REGISTRY_DB_URL",
            "the JDBC URL of the scheduler's activity registry database,"
                + " jdbc:postgresql://host:port/database");
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
      env.problem(
          "REGISTRY_DB_URL='"
              + url
              + "' is not accepted: use a PostgreSQL JDBC URL of the scheduler's"
              + " registry database, jdbc:postgresql://host:port/database");
    }
    String user =
        env.required(
            "REGISTRY_DB_USER",
            "a read-only role of the activity registry, one of the scheduler's"
                + " REGISTRY_READER_ROLES");
    String password = env.required("REGISTRY_DB_PASSWORD", "the password of REGISTRY_DB_USER");
    return new DatabaseSettings(url, user, password, REGISTRY_POOL_SIZE);
  }
}
