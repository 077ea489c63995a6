package io.bptemporal.router.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relays of RELAY_SOURCES, one thread each, inside the event router process. Closing stops them
 * after the batch in hand (bounded by the acknowledgement timeout) and waits up to the grace
 * period; a batch still open then is rolled back by the server when the process exits, and its rows
 * are published again by the next relay (same event_id).
 */
public final class OutboxRelays implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelays.class);

  private final List<OutboxRelay> relays;
  private final List<Thread> threads = new ArrayList<>();
  private final Duration grace;

  public OutboxRelays(List<OutboxRelay> relays, Duration grace) {
    this.relays = List.copyOf(relays);
    this.grace = grace;
  }

  /** One relay per configured source, sharing the producer. */
  public static OutboxRelays of(
      RelaySettings settings,
      Map<OutboxSource, DataSource> databases,
      Producer<byte[], byte[]> producer,
      RelayMetrics metrics,
      Duration grace) {
    List<OutboxRelay> relays = new ArrayList<>();
    for (OutboxSource source : settings.sources().keySet()) {
      relays.add(
          new OutboxRelay(
              source,
              databases.get(source),
              producer,
              settings.topic(),
              metrics,
              settings.batchSize(),
              settings.pollInterval(),
              settings.maxBackoff(),
              OutboxRelay.AfterAcks.NOTHING));
    }
    return new OutboxRelays(relays, grace);
  }

  public synchronized OutboxRelays start() {
    for (OutboxRelay relay : relays) {
      // Daemon: a batch stuck past the grace period must not keep the process alive.
      Thread thread =
          Thread.ofPlatform()
              .name("outbox-relay-" + relay.source().label())
              .daemon(true)
              .start(relay);
      threads.add(thread);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    relays.forEach(OutboxRelay::requestStop);
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread thread : threads) {
      try {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        thread.join(left);
        if (thread.isAlive()) {
          log.warn("{} did not stop within {}; its open batch is rolled back", thread, grace);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
