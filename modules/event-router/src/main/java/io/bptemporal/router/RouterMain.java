package io.bptemporal.router;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.observability.Telemetry;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.health.CheckResult;
import io.bptemporal.observability.health.ReadinessCheck;
import io.bptemporal.observability.health.ReadinessChecks;
import io.bptemporal.registry.routes.RouteReader;
import io.bptemporal.registry.routes.RouteTable;
import io.bptemporal.router.config.RouterSettings;
import io.bptemporal.router.decode.EnvelopeDecoder;
import io.bptemporal.router.deliver.TemporalDeliveries;
import io.bptemporal.router.kafka.DeadLetterWriter;
import io.bptemporal.router.kafka.RouterService;
import io.bptemporal.router.metrics.RouterMetrics;
import io.bptemporal.router.relay.OutboxRelays;
import io.bptemporal.router.relay.OutboxSource;
import io.bptemporal.router.relay.RelayMetrics;
import io.bptemporal.router.relay.RelaySettings;
import io.bptemporal.router.route.RecordRouter;
import io.bptemporal.router.route.RouteSource;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.process.ProcessLifecycle;
import io.bptemporal.runtime.temporal.TemporalConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event router process (docs/event-router.md): consumes ROUTER_TOPICS, routes each envelope by
 * the registry's event routes to Temporal, dead-letters what it cannot route to ROUTER_DLQ_TOPIC.
 * On the platform's one lifecycle: telemetry first, then the Temporal connection, the registry
 * pool, the broker clients; readiness when Temporal and the registry answer, the routes are loaded
 * and the consumer polls; SIGTERM finishes the records in hand, commits and exits 0.
 */
public final class RouterMain {
  private static final Logger log = LoggerFactory.getLogger(RouterMain.class);

  /** A consumer that has not returned from a poll for this long is not ready. */
  static final Duration POLL_STALE = Duration.ofSeconds(30);

  /** How long leaving the consumer group may take on exit; offsets are committed before it. */
  static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** How long closing the dead-letter producer may take (nothing is in flight by then). */
  static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private RouterMain() {}

  public static void main(String[] args) {
    Environment env = Environment.system();
    RouterSettings settings = RouterSettings.fromEnvironment(env);
    String clientId = RouterSettings.SERVICE + "-" + env.string("HOSTNAME", "local");
    env.validateOrExit(RouterSettings.SERVICE);
    int exit = run(settings, clientId);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /** Runs until SIGTERM/SIGINT; the exit status. */
  static int run(RouterSettings settings, String clientId) {
    try (ProcessLifecycle lifecycle = ProcessLifecycle.start(settings.telemetry())) {
      Telemetry telemetry = lifecycle.telemetry();
      TemporalConnection connection =
          lifecycle.closeOnExit(
              TemporalConnection.open(
                  settings.temporal(), Optional.of(telemetry.temporalMetricsScope())));
      HikariDataSource registry =
          lifecycle.closeOnExit(
              Databases.pool(settings.registry(), RouterSettings.SERVICE + "-registry"));
      RouterMetrics metrics = new RouterMetrics(telemetry.meterRegistry());
      RouteSource routes =
          lifecycle.closeOnExit(
              new RouteSource(
                  new RouteReader(registry),
                  settings.registry(),
                  settings.reloadInterval(),
                  metrics));
      // Every commit goes through this producer's transactions, the last one when the consumer
      // leaves the group: registered before the consumer, so it closes after it.
      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              producerProperties(settings, clientId),
              new ByteArraySerializer(),
              new ByteArraySerializer());
      lifecycle.closeOnExit(() -> producer.close(PRODUCER_CLOSE_TIMEOUT));
      // Registered last, so closed first: the consumer leaves the group before anything else goes.
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(
              consumerProperties(settings, clientId),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      lifecycle.closeOnExit(() -> closeConsumer(consumer));
      RecordRouter router =
          new RecordRouter(
              new EnvelopeDecoder(settings.maxRecordBytes()),
              () -> routes.current().orElse(RouteTable.EMPTY),
              new TemporalDeliveries(connection, List.of(telemetry.workflowClientInterceptors())),
              metrics,
              telemetry.tracing());
      RouterService service =
          new RouterService(
              consumer,
              producer,
              settings.topics(),
              router,
              new DeadLetterWriter(settings.deadLetterTopic()),
              metrics,
              settings.maxBackoff(),
              settings.shutdownGrace());
      telemetry
          .health()
          .register(ReadinessChecks.temporalReachable(connection.stubs()))
          .register(ReadinessChecks.databaseReachable(registry))
          .register(routesLoaded(routes))
          .register(consumerPolling(service));
      lifecycle.onStop(service::requestStop);
      lifecycle.installSignalHandlers();
      // The relay does not wait for the routes: it only reads the outboxes and writes the broker.
      startRelay(settings, clientId, lifecycle, telemetry);

      // Never consume before the routes are known: an event matched against nothing is committed as
      // unrouted, and its run would be lost.
      while (!routes.reload()) {
        if (lifecycle.awaitStop(Duration.ofSeconds(5))) {
          return 0;
        }
      }
      routes.start();
      log.info(
          "{} consuming {} as group {} from {}; dead letters to {}; ready at {}",
          RouterSettings.SERVICE,
          settings.topics(),
          settings.groupId(),
          settings.kafka().bootstrapServers(),
          settings.deadLetterTopic(),
          telemetry.managementUri().resolve("/readyz"));
      service.runUntilStopped();
      log.info("{} stopped", RouterSettings.SERVICE);
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      log.error("{} failed: {}", RouterSettings.SERVICE, e.toString(), e);
      return 1;
    }
  }

  /**
   * The outbox relay (RELAY_SOURCES), when configured: a pool per outbox database, a producer of
   * its own, one thread per outbox. Registered after the consumer, so it stops first on exit.
   */
  private static void startRelay(
      RouterSettings settings, String clientId, ProcessLifecycle lifecycle, Telemetry telemetry) {
    if (!settings.relay().enabled()) {
      log.info("outbox relay off (RELAY_SOURCES is empty)");
      return;
    }
    Map<OutboxSource, javax.sql.DataSource> databases = new EnumMap<>(OutboxSource.class);
    for (Map.Entry<OutboxSource, DatabaseSettings> source : settings.relay().sources().entrySet()) {
      databases.put(
          source.getKey(),
          lifecycle.closeOnExit(
              Databases.pool(
                  source.getValue(),
                  RouterSettings.SERVICE + "-relay-" + source.getKey().label())));
      log.info(
          "outbox relay {}: {} as {}",
          source.getKey().label(),
          source.getValue().url(),
          source.getValue().user());
    }
    KafkaProducer<byte[], byte[]> producer =
        lifecycle.closeOnExit(
            new KafkaProducer<>(
                RelaySettings.producerProperties(
                    settings.kafka().clientProperties(clientId + "-relay")),
                new ByteArraySerializer(),
                new ByteArraySerializer()));
    lifecycle
        .closeOnExit(
            OutboxRelays.of(
                settings.relay(),
                databases,
                producer,
                new RelayMetrics(telemetry.meterRegistry()),
                settings.shutdownGrace()))
        .start();
  }

  /**
   * Leaves the group, bounded: while the group rebalances (a peer was killed), the default close
   * waits up to 30 s for the coordinator, longer than a pod's termination grace leaves. A static
   * member leaves too: a stopped router is replaced by a pod of another name, and its partitions
   * must not wait for the session timeout.
   */
  private static void closeConsumer(KafkaConsumer<byte[], byte[]> consumer) {
    consumer.close(
        CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }

  static Properties consumerProperties(RouterSettings settings, String clientId) {
    Properties p = settings.kafka().clientProperties(clientId);
    p.put("group.id", settings.groupId());
    settings.groupInstanceId().ifPresent(id -> p.put("group.instance.id", id));
    p.put("enable.auto.commit", "false");
    p.put("isolation.level", "read_committed");
    // A new group starts at the beginning: events produced before the first router started are
    // routed.
    p.put("auto.offset.reset", "earliest");
    p.put("max.poll.records", "500");
    // Records larger than the limit are fetched (to be dead-lettered), so fetch sizes stay the
    // broker's.
    p.put(
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    return p;
  }

  /**
   * The dead-letter producer: transactional, so dead letters and the offsets past them commit
   * together (docs/event-router.md#dead-letters-and-replay).
   */
  static Properties producerProperties(RouterSettings settings, String clientId) {
    Properties p = settings.kafka().clientProperties(clientId + "-dlq");
    p.put("transactional.id", transactionalId(settings, clientId, UUID.randomUUID()));
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "0");
    p.put("request.timeout.ms", "15000");
    p.put("delivery.timeout.ms", "30000");
    // Bounds each blocking transaction call (init, commit, abort): a broker that does not answer
    // leaves the loop polling and the commit is tried again, and a stop still ends in time.
    p.put("max.block.ms", "15000");
    // A transaction left open by a killed router with another id blocks the offsets of its
    // partitions for readers (KIP-447) until the broker aborts it: 30 s, not the default 60 s.
    p.put("transaction.timeout.ms", "30000");
    p.put(
        "max.request.size",
        Integer.toString(Math.max(1_048_576, settings.maxRecordBytes() * 2 + 65_536)));
    return p;
  }

  /**
   * {@code <group>-<ROUTER_GROUP_INSTANCE_ID>-dlq}: one per static member, so a router restarted in
   * its pod fences its predecessor's producer and aborts its open transaction at once. Without an
   * instance id, {@code <group>-<client id>-<random>-dlq}: never shared by two live processes (a
   * zombie is fenced by the group generation in sendOffsetsToTransaction, KIP-447). Either way it
   * starts with {@code <group>-}: the prefix of the TransactionalId ACL.
   */
  static String transactionalId(RouterSettings settings, String clientId, UUID random) {
    return settings.groupId()
        + "-"
        + settings
            .groupInstanceId()
            .orElseGet(() -> clientId + "-" + random.toString().substring(0, 8))
        + "-dlq";
  }

  private static ReadinessCheck routesLoaded(RouteSource routes) {
    return new ReadinessCheck(
        "event routes loaded",
        () ->
            routes
                .current()
                .map(
                    table ->
                        CheckResult.healthy(
                            table
                                + ", loaded "
                                + routes.lastLoaded()
                                + (routes.lastError().isEmpty()
                                    ? ""
                                    : "; last reload failed: " + routes.lastError())))
                .orElseGet(
                    () ->
                        CheckResult.unhealthy(
                            "not loaded yet"
                                + (routes.lastError().isEmpty()
                                    ? ""
                                    : ": " + routes.lastError()))));
  }

  private static ReadinessCheck consumerPolling(RouterService service) {
    return new ReadinessCheck(
        "consumer polling",
        () -> {
          Instant last = service.lastPoll();
          if (last.isBefore(Instant.now().minus(POLL_STALE))) {
            return CheckResult.unhealthy(
                last.equals(Instant.EPOCH) ? "not polling yet" : "last poll " + last);
          }
          // A replica without partitions (more replicas than partitions) is a healthy standby.
          return CheckResult.healthy(
              "polling, last "
                  + last
                  + (service.assigned() ? "" : "; no partitions assigned yet (standby)"));
        });
  }
}
