package io.bptemporal.router.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one outbox to the broker, batch by batch, each batch in one database transaction
 * (docs/event-router.md#egress-the-outbox-relay):
 *
 * <ol>
 *   <li>{@code pg_try_advisory_xact_lock(source key)}: taken by one relay replica at a time, held
 *       until this transaction ends; a replica that does not get it waits for the next round. So
 *       batches of one source never overlap, and the next batch sees the marks of the last;
 *   <li>claim up to {@code batchSize} unpublished rows in created order, {@code FOR UPDATE};
 *   <li>send each as an envelope, keyed by its subject, with the idempotent producer ({@code
 *       acks=all}), and wait until the broker acknowledged every one;
 *   <li>set the rows' published marker and commit.
 * </ol>
 *
 * A failure before the commit rolls the marks back: the rows are claimed again after a backoff.
 * Records the broker acknowledged before the failure (or before a crash between ack and commit) are
 * then published a second time with the same {@code event_id}: at least once on the topic, exactly
 * once for a consumer that dedupes by event_id. Within a partition the first occurrence of each
 * event keeps the created order (the idempotent producer never reorders a partition).
 *
 * <p>A row that cannot be published (it breaks the envelope contract, or is too large) is neither
 * sent nor marked: it is logged, and its key (subject) is held back — the rows of that subject
 * behind it wait too, so order is never broken — while every other subject goes on. Held rows are
 * read again every {@link #RECHECK_HELD}: once fixed in the database they are published in order.
 *
 * <p>Never throws out of {@link #run}: the broker or the database being unavailable is retried with
 * capped exponential backoff, counted in {@code bp_relay_failures_total}.
 */
public final class OutboxRelay implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** Key plus value of one record at most: below the broker's default message.max.bytes. */
  static final int MAX_RECORD_BYTES = 1_000_000;

  /** Longer than the producer's delivery.timeout.ms, so the producer reports first. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(45);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  static final Duration RECHECK_HELD = Duration.ofSeconds(60);
  static final Duration BACKLOG_EVERY = Duration.ofSeconds(2);

  public static final String HEADER_EVENT_ID = "bp-event-id";
  public static final String HEADER_EVENT_TYPE = "bp-event-type";
  public static final String HEADER_SOURCE = "bp-outbox-source";

  /**
   * Runs after the broker acknowledged every record of a batch and before the marks commit. The
   * production relay does nothing there; a test throws to crash the relay exactly between ack and
   * commit.
   */
  @FunctionalInterface
  public interface AfterAcks {
    AfterAcks NOTHING = (source, published) -> {};

    void accept(OutboxSource source, List<OutboxRow.Ready> published) throws Exception;
  }

  /** What one round did. */
  record Round(boolean lockBusy, int claimed, int published) {
    static final Round BUSY = new Round(true, 0, 0);
  }

  private record Held(String rowId, String problem, Instant since) {}

  private final OutboxSource source;
  private final OutboxTable table;
  private final DataSource database;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final RelayMetrics metrics;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration maxBackoff;
  private final AfterAcks afterAcks;
  private final String claimSql;
  private final String markSql;
  private final String backlogSql;
  private final Map<String, Held> held = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private Instant lastBacklog = Instant.EPOCH;
  private Duration recheckHeld = RECHECK_HELD;

  public OutboxRelay(
      OutboxSource source,
      DataSource database,
      Producer<byte[], byte[]> producer,
      String topic,
      RelayMetrics metrics,
      int batchSize,
      Duration pollInterval,
      Duration maxBackoff,
      AfterAcks afterAcks) {
    this.source = source;
    this.table = source.table();
    this.database = database;
    this.producer = producer;
    this.topic = topic;
    this.metrics = metrics;
    this.batchSize = batchSize;
    this.pollInterval = pollInterval;
    this.maxBackoff = maxBackoff;
    this.afterAcks = afterAcks;
    String id = table.idColumn();
    String marker = table.markerColumn();
    claimSql =
        "select "
            + id
            + " as row_id, "
            + table.keySql()
            + " as row_key, "
            + table.columns()
            + " from "
            + table.table()
            + " where "
            + marker
            + " is null and not ("
            + table.keySql()
            + " = any(?)) order by created_at, "
            + id
            + " limit ? for update";
    markSql =
        "update "
            + table.table()
            + " set "
            + marker
            + " = now() where "
            + id
            + " = any(?) and "
            + marker
            + " is null";
    backlogSql =
        "select count(*), coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)"
            + " from "
            + table.table()
            + " where "
            + marker
            + " is null";
    metrics.register(source);
  }

  /** How soon a held row is read again (tests: shorter than {@link #RECHECK_HELD}). */
  OutboxRelay recheckHeldEvery(Duration every) {
    this.recheckHeld = every;
    return this;
  }

  public OutboxSource source() {
    return source;
  }

  /** Ends {@link #run} after the batch in hand (committed or rolled back). */
  public void requestStop() {
    stop.countDown();
  }

  @Override
  public void run() {
    log.info(
        "outbox relay: {} ({}) to {}, {} rows a batch",
        source.label(),
        table.table(),
        topic,
        batchSize);
    int failures = 0;
    while (stop.getCount() > 0) {
      Duration wait = pollInterval;
      try {
        Round round = relayOnce();
        if (failures > 0) {
          log.info(
              "outbox relay {}: publishing again after {} failed attempt(s)",
              source.label(),
              failures);
        }
        failures = 0;
        if (!round.lockBusy() && round.claimed() >= batchSize) {
          wait = Duration.ZERO;
        }
      } catch (PublishException e) {
        failures++;
        metrics.failure(RelayFailure.BROKER);
        wait = backoff(failures);
        log.warn(
            "outbox relay {}: broker did not acknowledge the batch ({}); rolled back, the rows stay"
                + " unpublished, again in {} ms",
            source.label(),
            e.getMessage(),
            wait.toMillis());
      } catch (SQLException e) {
        failures++;
        metrics.failure(RelayFailure.DATABASE);
        wait = backoff(failures);
        log.warn(
            "outbox relay {}: database {} ({}); again in {} ms",
            source.label(),
            e.getSQLState(),
            e.getMessage(),
            wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        failures++;
        metrics.failure(RelayFailure.UNEXPECTED);
        wait = backoff(failures);
        log.error(
            "outbox relay {}: batch failed unexpectedly; rolled back, again in {} ms",
            source.label(),
            wait.toMillis(),
            e);
      }
      refreshBacklog();
      if (!wait.isZero()) {
        try {
          if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    log.info("outbox relay {} stopped", source.label());
  }

  /**
   * One batch: lock, claim, publish, wait for the acks, mark, commit. Rolls back on any failure.
   */
  Round relayOnce() throws Exception {
    releaseExpiredHolds();
    long started = System.nanoTime();
    Round round;
    List<OutboxRow.Ready> sent;
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          // A row lock held by someone else (an operator's open transaction) fails the batch
          // instead of stalling it, and a stuck statement is cut.
          s.execute("set local lock_timeout = '5s'");
          s.execute("set local statement_timeout = '60s'");
        }
        if (!tryLock(c)) {
          c.rollback();
          return Round.BUSY;
        }
        List<OutboxRow> rows = claim(c);
        sent = publishable(rows);
        publish(sent);
        afterAcks.accept(source, sent);
        mark(c, sent);
        c.commit();
        round = new Round(false, rows.size(), sent.size());
      } catch (Exception e) {
        rollbackQuietly(c);
        throw e;
      }
    }
    if (round.published() > 0) {
      metrics.published(source, round.published());
      metrics.batchDuration(Duration.ofNanos(System.nanoTime() - started));
      log.debug(
          "outbox relay {}: {} published ({} claimed)",
          source.label(),
          round.published(),
          round.claimed());
    }
    return round;
  }

  private boolean tryLock(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      ps.setLong(1, source.lockKey());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private List<OutboxRow> claim(Connection c) throws SQLException {
    List<OutboxRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(claimSql)) {
      Array keys = c.createArrayOf("text", held.keySet().toArray());
      ps.setArray(1, keys);
      ps.setInt(2, batchSize);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String rowId = rs.getString("row_id");
          String key = rs.getString("row_key");
          rows.add(table.read(rowId, key, rs));
        }
      }
    }
    return rows;
  }

  /**
   * The rows to send, in order; an unpublishable row holds back its key, and the rows of that key
   * behind it in this batch are not sent either.
   */
  private List<OutboxRow.Ready> publishable(List<OutboxRow> rows) {
    List<OutboxRow.Ready> ready = new ArrayList<>(rows.size());
    Set<String> stopped = new HashSet<>();
    for (OutboxRow row : rows) {
      if (stopped.contains(row.key())) {
        continue;
      }
      OutboxRow checked = checkSize(row);
      switch (checked) {
        case OutboxRow.Unpublishable u -> {
          hold(u);
          stopped.add(u.key());
        }
        case OutboxRow.Ready r -> ready.add(r);
      }
    }
    metrics.held(source, held.size());
    return ready;
  }

  static OutboxRow checkSize(OutboxRow row) {
    if (row instanceof OutboxRow.Ready r) {
      int size = r.value().length + r.key().getBytes(StandardCharsets.UTF_8).length;
      if (size > MAX_RECORD_BYTES) {
        return new OutboxRow.Unpublishable(
            r.rowId(),
            r.key(),
            "row "
                + r.rowId()
                + ": the envelope is "
                + size
                + " bytes with its key; accepted: at most "
                + MAX_RECORD_BYTES
                + " bytes (the broker's record limit): put large data elsewhere and reference it");
      }
    }
    return row;
  }

  private void publish(List<OutboxRow.Ready> rows) throws PublishException, InterruptedException {
    if (rows.isEmpty()) {
      return;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
    try {
      for (OutboxRow.Ready r : rows) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_EVENT_ID, r.eventId().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_EVENT_TYPE, r.type().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_SOURCE, source.label().getBytes(StandardCharsets.UTF_8));
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    null,
                    null,
                    r.key().getBytes(StandardCharsets.UTF_8),
                    r.value(),
                    headers)));
      }
      long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new PublishException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), e);
    } catch (TimeoutException e) {
      throw new PublishException("no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s", e);
    } catch (KafkaException e) {
      throw new PublishException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private void mark(Connection c, List<OutboxRow.Ready> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(markSql)) {
      ps.setArray(1, c.createArrayOf("text", rows.stream().map(OutboxRow.Ready::rowId).toArray()));
      int marked = ps.executeUpdate();
      if (marked != rows.size()) {
        log.warn(
            "outbox relay {}: {} of {} published rows were already marked by someone else",
            source.label(),
            rows.size() - marked,
            rows.size());
      }
    }
  }

  private void hold(OutboxRow.Unpublishable row) {
    held.put(row.key(), new Held(row.rowId(), row.problem(), Instant.now()));
    if (reported.add(row.rowId() + "\n" + row.problem())) {
      log.error(
          "outbox relay {}: cannot publish {}; subject {} is held back (this row and the later rows"
              + " of it stay unpublished, other subjects go on); fix the row, it is read again"
              + " every {} s",
          source.label(),
          row.problem(),
          row.key(),
          recheckHeld.toSeconds());
    }
  }

  private void releaseExpiredHolds() {
    Instant now = Instant.now();
    held.values().removeIf(h -> h.since().plus(recheckHeld).isBefore(now));
  }

  private void refreshBacklog() {
    Instant now = Instant.now();
    if (lastBacklog.plus(BACKLOG_EVERY).isAfter(now)) {
      return;
    }
    lastBacklog = now;
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(backlogSql)) {
      rs.next();
      metrics.backlog(source, rs.getLong(1), Duration.ofMillis(Math.round(rs.getDouble(2) * 1000)));
    } catch (SQLException e) {
      log.debug("outbox relay {}: backlog not read: {}", source.label(), e.getMessage());
    }
  }

  private Duration backoff(int failures) {
    long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 16);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug(
          "rollback failed (the connection is gone; the server rolls back): {}", e.toString());
    }
  }

  /** The broker did not acknowledge every record of a batch. */
  static final class PublishException extends Exception {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
