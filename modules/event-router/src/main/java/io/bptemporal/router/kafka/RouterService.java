package io.bptemporal.router.kafka;

import io.bptemporal.router.deliver.RetryableDeliveryException;
import io.bptemporal.router.metrics.RecordOutcome;
import io.bptemporal.router.metrics.RetryCause;
import io.bptemporal.router.metrics.RouterMetrics;
import io.bptemporal.router.route.Handled;
import io.bptemporal.router.route.RecordAttempt;
import io.bptemporal.router.route.RecordRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The consumer loop. One thread owns the consumer and only polls, pauses, resumes and commits; the
 * records of each partition are handled by one task at a time, strictly in offset order, while
 * partitions proceed in parallel.
 *
 * <ul>
 *   <li>A polled batch goes to its partition's task and the partition is paused until the batch is
 *       handled, so polling goes on (the group membership survives a long wait) without fetching
 *       more than one batch ahead.
 *   <li>A record Temporal does not accept yet ({@link RetryableDeliveryException}) is tried again
 *       with capped exponential backoff; nothing behind it in its partition is handled meanwhile.
 *   <li>A record the router cannot route counts as handled with its dead letter held by its
 *       partition; the letter is sent in the transaction that commits the offset past it.
 *   <li>The offset committed is one past the last handled record, only ever through a Kafka
 *       transaction of the dead-letter producer together with the dead letters before it ({@link
 *       CommitTransactions}): after a crash, a record is handled again (at least once in), its
 *       starts are duplicates (exactly one effect out), and its dead letter, if any, was either
 *       committed with its offset or never visible to {@code read_committed} readers (exactly once
 *       on the dead-letter topic).
 *   <li>A revoked partition's task stops after the record in hand, its progress is committed, and
 *       the new owner continues from there. A stop does the same for every partition.
 *   <li>A fatal producer failure (fenced, unauthorized) stops the loop without committing and
 *       {@link #runUntilStopped()} throws: the process exits non-zero and is started again.
 * </ul>
 */
public final class RouterService {
  private static final Logger log = LoggerFactory.getLogger(RouterService.class);

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final RecordRouter router;
  private final DeadLetterWriter deadLetters;
  private final CommitTransactions transactions;
  private final RouterMetrics metrics;
  private final Duration maxBackoff;
  private final Duration grace;
  private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
  private final ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Instant lastPoll = Instant.EPOCH;
  private volatile boolean assigned;
  private volatile CommitTransactions.Fatal fatal;

  /**
   * @param producer the dead-letter producer, transactional (transactional.id set; initialized
   *     here): every commit goes through it
   */
  public RouterService(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      List<String> topics,
      RecordRouter router,
      DeadLetterWriter deadLetters,
      RouterMetrics metrics,
      Duration maxBackoff,
      Duration grace) {
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.router = router;
    this.deadLetters = deadLetters;
    this.transactions = new CommitTransactions(producer);
    this.metrics = metrics;
    this.maxBackoff = maxBackoff;
    this.grace = grace;
  }

  /**
   * Consumes until {@link #requestStop()}; then commits what was handled and returns.
   *
   * @throws IllegalStateException when the dead-letter producer failed fatally (nothing more was
   *     committed; the process must exit non-zero)
   */
  public void runUntilStopped() {
    try {
      if (!transactions.init(() -> stop.getCount() == 0)) {
        return;
      }
      consumer.subscribe(topics, new Rebalance());
      while (stop.getCount() > 0) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        lastPoll = Instant.now();
        for (TopicPartition partition : records.partitions()) {
          PartitionLane lane = lanes.get(partition);
          if (lane == null) {
            // Not ours any more (revoked inside this poll): the new owner reads them again.
            continue;
          }
          lane.backlog.addAll(records.records(partition));
          consumer.pause(List.of(partition));
        }
        for (PartitionLane lane : lanes.values()) {
          if (lane.halted()) {
            // Stuck on a record it could not handle (logged): paused, offset kept, until a restart.
            continue;
          }
          if (!lane.busy() && !lane.backlog.isEmpty()) {
            List<ConsumerRecord<byte[], byte[]>> batch = lane.drainBacklog();
            lane.task = tasks.submit(() -> handleBatch(lane, batch));
          } else if (!lane.busy() && lane.task != null) {
            lane.task = null;
            consumer.resume(List.of(lane.partition));
          }
        }
        commit(lanes.values());
        updateLag();
      }
    } catch (RuntimeException e) {
      // A fatal failure in the rebalance listener comes out of poll() wrapped.
      if (fatal != null && e != fatal) {
        e.addSuppressed(fatal);
      }
      throw e;
    } finally {
      try {
        haltAndCommit(List.copyOf(lanes.values()));
      } finally {
        tasks.shutdownNow();
        stopped.countDown();
      }
    }
    if (fatal != null) {
      throw new IllegalStateException(fatal.getMessage(), fatal);
    }
  }

  /** Same as SIGTERM: the records in hand finish, their offsets are committed, the loop returns. */
  public void requestStop() {
    // No consumer.wakeup(): it would break the final commit. A poll returns within 200 ms anyway.
    stop.countDown();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** When the consumer last returned from a poll (readiness: the loop is alive). */
  public Instant lastPoll() {
    return lastPoll;
  }

  /** Whether the group has given this replica its partitions at least once. */
  public boolean assigned() {
    return assigned;
  }

  private void handleBatch(PartitionLane lane, List<ConsumerRecord<byte[], byte[]>> batch) {
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      if (lane.halted()) {
        return;
      }
      try (MDC.MDCCloseable offset =
          MDC.putCloseable(
              "record", record.topic() + "/" + record.partition() + "@" + record.offset())) {
        if (!handleWithRetry(lane, record)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A bug, not a property of the record: stop this partition (its offset stays), keep the
        // rest.
        log.error(
            "handling {}/{}@{} failed unexpectedly; the partition waits here until the router"
                + " restarts",
            record.topic(),
            record.partition(),
            record.offset(),
            e);
        lane.halt();
        return;
      }
    }
  }

  /** True when the record was handled; false when the lane was halted first. */
  private boolean handleWithRetry(PartitionLane lane, ConsumerRecord<byte[], byte[]> record)
      throws InterruptedException {
    RecordAttempt attempt = new RecordAttempt();
    Handled handled = null;
    while (true) {
      int attempts = attempt.nextAttempt();
      try {
        if (handled == null) {
          handled = router.handle(record, attempt);
        }
        metrics.recordDuration(attempt.elapsed());
        if (handled instanceof Handled.DeadLetter dead) {
          // Counted and logged when the transaction with its offset commits.
          lane.deadLettered(
              record,
              new PartitionLane.PendingLetter(
                  lane.partition,
                  record.offset(),
                  deadLetters.letter(record, dead.kind(), dead.reason()),
                  dead.kind(),
                  dead.reason()));
          return true;
        } else if (handled instanceof Handled.Unrouted) {
          metrics.record(RecordOutcome.UNROUTED);
        } else {
          metrics.record(RecordOutcome.ROUTED);
        }
        lane.handled(record);
        return true;
      } catch (RetryableDeliveryException e) {
        metrics.retry(RetryCause.TEMPORAL_UNAVAILABLE);
        Duration wait = backoff(attempts);
        if (attempts == 0 || attempts % 10 == 0) {
          log.warn(
              "{}/{}@{} waits ({} attempt(s) so far, next in {} ms; nothing behind it in its"
                  + " partition is handled meanwhile): {}",
              record.topic(),
              record.partition(),
              record.offset(),
              attempts + 1,
              wait.toMillis(),
              e.getMessage());
        }
        if (lane.awaitHalt(wait.toMillis())) {
          return false;
        }
      }
    }
  }

  /** 200 ms, doubling, capped at ROUTER_MAX_BACKOFF_SECONDS. */
  Duration backoff(int attempts) {
    long millis = FIRST_BACKOFF.toMillis() << Math.min(attempts, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  /**
   * Commits the progress of these lanes, where it moved, with their dead letters, in one
   * transaction (consumer thread only). A failed transaction is aborted and tried again by the next
   * call.
   */
  private void commit(Collection<PartitionLane> which) {
    if (fatal != null) {
      return;
    }
    long failuresBefore = transactions.failures();
    try {
      transactions.commit(() -> batch(which), consumer::groupMetadata, this::committed);
    } catch (CommitTransactions.Fatal e) {
      fatal = e;
      log.error("{}", e.getMessage(), e.getCause());
      lanes.values().forEach(PartitionLane::halt);
      stop.countDown();
      throw e;
    } finally {
      if (transactions.failures() > failuresBefore) {
        metrics.retry(RetryCause.DEAD_LETTER_WRITE);
      }
    }
  }

  /** The batch's offsets and dead letters are committed: count and log the letters. */
  private void committed(CommitTransactions.Batch batch) {
    batch.upTo().forEach(PartitionLane::committed);
    for (PartitionLane.PendingLetter letter : batch.letters()) {
      metrics.deadLettered(letter.kind());
      metrics.record(RecordOutcome.DEAD_LETTERED);
      log.warn(
          "dead-lettered {}@{} to {} ({}): {}",
          letter.source(),
          letter.offset(),
          deadLetters.topic(),
          letter.kind().label(),
          letter.reason());
    }
  }

  private CommitTransactions.Batch batch(Collection<PartitionLane> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<PartitionLane, Long> upTo = new HashMap<>();
    List<PartitionLane.PendingLetter> letters = new ArrayList<>();
    for (PartitionLane lane : which) {
      long handled = lane.handledUpTo();
      if (handled > lane.committed()) {
        offsets.put(lane.partition, new OffsetAndMetadata(handled));
        upTo.put(lane, handled);
        letters.addAll(lane.lettersBefore(handled));
      }
    }
    return new CommitTransactions.Batch(offsets, upTo, letters);
  }

  private void updateLag() {
    for (PartitionLane lane : lanes.values()) {
      try {
        OptionalLong lag = consumer.currentLag(lane.partition);
        if (lag.isPresent()) {
          // currentLag counts from the fetch position; fetched records not handled yet are lag too.
          long fetchedNotHandled =
              lane.handledUpTo() < 0
                  ? 0
                  : Math.max(
                      0,
                      consumer.position(lane.partition, Duration.ofMillis(100))
                          - lane.handledUpTo());
          metrics.lag(
              lane.partition.topic(),
              lane.partition.partition(),
              lag.getAsLong() + fetchedNotHandled);
        }
      } catch (RuntimeException e) {
        log.debug("no lag for {} yet: {}", lane.partition, e.toString());
      }
    }
  }

  /** Halts these lanes' tasks, waits for the record in hand, commits their progress. */
  private void haltAndCommit(Collection<PartitionLane> which) {
    which.forEach(PartitionLane::halt);
    long deadline = System.nanoTime() + grace.toNanos();
    for (PartitionLane lane : which) {
      if (lane.task != null) {
        try {
          lane.task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          log.warn(
              "{}: the record in hand did not finish within the grace period; it is handled"
                  + " again by the partition's next owner",
              lane.partition);
          lane.task.cancel(true);
        } catch (ExecutionException e) {
          log.warn("{}: its task failed: {}", lane.partition, e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    commit(which);
    if (fatal == null && (transactions.inDoubt() || moved(which))) {
      // One more try (each bounded by max.block.ms); what is still not committed is redelivered.
      commit(which);
    }
  }

  private static boolean moved(Collection<PartitionLane> which) {
    return which.stream().anyMatch(lane -> lane.handledUpTo() > lane.committed());
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        lanes.computeIfAbsent(partition, PartitionLane::new);
      }
      assigned = true;
      if (!partitions.isEmpty()) {
        log.info("assigned {}", partitions);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      List<PartitionLane> revoked =
          partitions.stream().map(lanes::get).filter(java.util.Objects::nonNull).toList();
      if (revoked.isEmpty()) {
        return;
      }
      haltAndCommit(revoked);
      forget(partitions);
      log.info("revoked {}; handled offsets committed", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.stream()
          .map(lanes::get)
          .filter(java.util.Objects::nonNull)
          .forEach(PartitionLane::halt);
      forget(partitions);
      log.warn("lost {} (no commit: another replica may own them already)", partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        lanes.remove(partition);
        metrics.forgetLag(partition.topic(), partition.partition());
      }
    }
  }
}
