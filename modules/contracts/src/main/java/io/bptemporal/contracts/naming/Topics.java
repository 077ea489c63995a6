package io.bptemporal.contracts.naming;

import java.util.List;
import java.util.Optional;

/**
 * The platform's Kafka topics, the same names in every environment (each environment has its own
 * broker). The dev stack creates them idempotently; in a cluster the broker's operator does (chart
 * values {@code broker.topics.*} name them). Producers key every record by the envelope's {@code
 * subject}, so a subject's events stay in one partition, in order.
 */
public final class Topics {

  /** Event envelopes for the event router: 3 partitions. */
  public static final TopicSpec EVENTS = new TopicSpec("bp.events", 3);

  /**
   * Records of {@link #EVENTS} the router could not accept (original bytes, reason in headers): 1
   * partition, so the dead letters read in the order they were written.
   */
  public static final TopicSpec DEAD_LETTER = new TopicSpec("bp.events.dlq", 1);

  /** Envelopes the outbox relay publishes (TaskCreated, order confirmations): 3 partitions. */
  public static final TopicSpec OUTBOX = new TopicSpec("bp.outbox", 3);

  public static final List<TopicSpec> ALL = List.of(EVENTS, DEAD_LETTER, OUTBOX);

  private Topics() {}

  public static Optional<TopicSpec> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }
}
