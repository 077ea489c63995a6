package io.bptemporal.router.relay;

import io.bptemporal.observability.metrics.MetricLabel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An outbox the relay publishes (RELAY_SOURCES), and the {@code source} label of its metrics. Each
 * lives in the database of the worker that writes it; the relay reaches it with
 * RELAY_&lt;SOURCE&gt;_DB_* as a role that worker granted (OUTBOX_RELAY_ROLES).
 */
public enum OutboxSource implements MetricLabel {
  /** The activity worker's {@code task_outbox}: TaskCreated envelopes, as stored. */
  ACTIVITY(new TaskCreatedOutbox(), 0x6270726c7901L),
  /** The order saga's {@code notification_outbox}: order confirmations, built into envelopes. */
  ORDERS(new OrderConfirmationOutbox(), 0x6270726c7902L);

  private final OutboxTable table;
  private final long lockKey;

  OutboxSource(OutboxTable table, long lockKey) {
    this.table = table;
    this.lockKey = lockKey;
  }

  public OutboxTable table() {
    return table;
  }

  /**
   * The transaction-level advisory lock every relay replica takes before claiming a batch of this
   * source ("bprly" + n): one batch at a time per source, whatever the replica count.
   */
  public long lockKey() {
    return lockKey;
  }

  /** The prefix of this source's database variables, e.g. {@code RELAY_ACTIVITY_DB_}. */
  public String variablePrefix() {
    return "RELAY_" + name() + "_DB_";
  }

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<OutboxSource> byLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(OutboxSource::label).toList();
  }
}
