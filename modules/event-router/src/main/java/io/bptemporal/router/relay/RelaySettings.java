package io.bptemporal.router.relay;

import io.bptemporal.contracts.naming.Topics;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.database.DatabaseSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The outbox relay's part of the event router's environment
 * (docs/event-router.md#egress-the-outbox-relay):
 *
 * <ul>
 *   <li>{@code RELAY_SOURCES}: comma-separated outboxes to publish ({@code activity}, {@code
 *       orders}); empty or unset: the relay is off;
 *   <li>{@code RELAY_<SOURCE>_DB_URL}, {@code _USER}, {@code _PASSWORD}: that outbox's database, as
 *       a role its worker grants (OUTBOX_RELAY_ROLES): SELECT on the outbox, UPDATE of its marker,
 *       nothing else;
 *   <li>{@code RELAY_TOPIC} (default {@code bp.outbox}), {@code RELAY_BATCH_SIZE} (200), {@code
 *       RELAY_POLL_INTERVAL_MILLIS} (500), {@code RELAY_MAX_BACKOFF_SECONDS} (30).
 * </ul>
 *
 * @param sources the relayed outboxes and their databases, in declaration order
 * @param pollInterval how long an idle relay waits before it looks again
 * @param maxBackoff the longest wait after a failed batch
 */
public record RelaySettings(
    Map<OutboxSource, DatabaseSettings> sources,
    String topic,
    int batchSize,
    Duration pollInterval,
    Duration maxBackoff) {

  public static final String DEFAULT_TOPIC = Topics.OUTBOX.name();
  public static final int DEFAULT_BATCH_SIZE = 200;
  public static final int DEFAULT_POLL_INTERVAL_MILLIS = 500;

  /** One connection claims and marks, one reads the backlog. */
  static final int POOL_SIZE = 2;

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  public RelaySettings {
    Map<OutboxSource, DatabaseSettings> copy = new EnumMap<>(OutboxSource.class);
    copy.putAll(sources);
    sources = java.util.Collections.unmodifiableMap(copy);
  }

  public boolean enabled() {
    return !sources.isEmpty();
  }

  /**
   * Reads the RELAY_* variables; problems are recorded on {@code env}.
   *
   * @param deadLetterTopic the router's dead-letter topic, which the relay must not write to
   */
  public static RelaySettings fromEnvironment(Environment env, String deadLetterTopic) {
    Optional<String> listed = env.optional("RELAY_SOURCES");
    List<String> names =
        listed
            .map(
                text ->
                    Arrays.stream(text.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .distinct()
                        .toList())
            .orElse(List.of());
    Map<OutboxSource, DatabaseSettings> sources = new EnumMap<>(OutboxSource.class);
    List<String> unknown = names.stream().filter(n -> OutboxSource.byLabel(n).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      env.problem(
          "RELAY_SOURCES='"
              + listed.orElse("")
              + "' is not accepted ("
              + unknown
              + "): use a comma-separated list of "
              + OutboxSource.labels()
              + ", or leave it empty to turn the outbox relay off");
    }
    for (OutboxSource source : OutboxSource.values()) {
      if (names.contains(source.label())) {
        sources.put(source, database(env, source));
      } else {
        for (String suffix : List.of("URL", "USER", "PASSWORD")) {
          if (env.optional(source.variablePrefix() + suffix).isPresent()) {
            env.problem(
                source.variablePrefix()
                    + suffix
                    + " is set but RELAY_SOURCES does not list "
                    + source.label()
                    + ": add it to RELAY_SOURCES to relay that outbox, or unset the variable");
            break;
          }
        }
      }
    }
    String topic = env.string("RELAY_TOPIC", DEFAULT_TOPIC);
    if (!TOPIC.matcher(topic).matches() || topic.equals(deadLetterTopic)) {
      env.problem(
          "RELAY_TOPIC='"
              + topic
              + "' is not accepted: use a topic name (letters, digits, '.', '_', '-') other than"
              + " ROUTER_DLQ_TOPIC, e.g. "
              + DEFAULT_TOPIC);
    }
    int batch = env.integer("RELAY_BATCH_SIZE", DEFAULT_BATCH_SIZE, 1, 5000);
    int poll = env.integer("RELAY_POLL_INTERVAL_MILLIS", DEFAULT_POLL_INTERVAL_MILLIS, 10, 60_000);
    Duration backoff =
        env.seconds("RELAY_MAX_BACKOFF_SECONDS", Duration.ofSeconds(30), Duration.ofMinutes(10));
    if (backoff.isZero()) {
      env.problem("RELAY_MAX_BACKOFF_SECONDS=0 is not accepted: use 1 to 600 seconds");
    }
    return new RelaySettings(sources, topic, batch, Duration.ofMillis(poll), backoff);
  }

  /**
   * The relay's producer on top of the broker connection {@code client}: idempotent with acks=all,
   * so a retried send never duplicates or reorders a partition; a send blocked on an unreachable
   * broker gives up after max.block.ms, a batch not acknowledged fails within delivery.timeout.ms,
   * and the relay rolls the batch back and tries again.
   */
  public static Properties producerProperties(Properties client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", "5");
    p.put("request.timeout.ms", "15000");
    p.put("delivery.timeout.ms", "30000");
    p.put("max.block.ms", "10000");
    p.put("max.request.size", "1048576");
    return p;
  }

  private static DatabaseSettings database(Environment env, OutboxSource source) {
    String prefix = source.variablePrefix();
    String owner = source == OutboxSource.ACTIVITY ? "activity worker's" : "order saga worker's";
    String url =
        env.required(
            prefix + "URL",
            "the JDBC URL of the "
                + owner
                + " database holding "
                + source.table().table()
                + ", jdbc:postgresql://host:port/database");
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
      env.problem(
          prefix
              + "URL='"
              + url
              + "' is not accepted: use a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database");
    }
    String user =
        env.required(
            prefix + "USER",
            "the relay's role there, one of the "
                + owner
                + " OUTBOX_RELAY_ROLES (SELECT on "
                + source.table().table()
                + ", UPDATE of "
                + source.table().markerColumn()
                + ")");
    String password = env.required(prefix + "PASSWORD", "the password of " + prefix + "USER");
    return new DatabaseSettings(url, user, password, POOL_SIZE);
  }
}
