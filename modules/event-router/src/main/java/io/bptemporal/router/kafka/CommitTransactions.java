package io.bptemporal.router.kafka;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the router's progress through the transactional dead-letter producer (KIP-447): one
 * transaction holds the pending dead letters of the records up to the offsets, and the offsets
 * themselves ({@code sendOffsetsToTransaction} with the consumer's group metadata, which fences a
 * zombie that lost its partitions). Either both become visible to {@code read_committed} readers
 * and the group, or neither: a dead letter is on the topic exactly once.
 *
 * <ul>
 *   <li>An abortable failure aborts the transaction; the batch's letters are still pending and its
 *       offsets not advanced, so the next call tries them again.
 *   <li>A commit or abort that timed out may have reached the broker: the only allowed next step is
 *       the same call again, so the next call finishes it before anything else.
 *   <li>A fatal failure (fenced, unauthorized, unsupported, a bug) throws {@link Fatal}: the
 *       producer is unusable and the process must stop (redelivery after the restart is correct).
 * </ul>
 *
 * Used by the consumer thread only.
 */
final class CommitTransactions {
  private static final Logger log = LoggerFactory.getLogger(CommitTransactions.class);

  /**
   * What one transaction commits.
   *
   * @param offsets the next offset per partition
   * @param upTo the same per lane (to mark them committed)
   * @param letters the dead letters of the records before those offsets
   */
  record Batch(
      Map<TopicPartition, OffsetAndMetadata> offsets,
      Map<PartitionLane, Long> upTo,
      List<PartitionLane.PendingLetter> letters) {
    boolean isEmpty() {
      return offsets.isEmpty();
    }
  }

  /** The producer cannot go on; the process has to stop and be started again. */
  static final class Fatal extends RuntimeException {
    Fatal(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Producer<byte[], byte[]> producer;

  /** Committed, but the commit timed out: to be committed again before anything else. */
  private Batch commitInDoubt;

  /** An abort that timed out: to be aborted again before anything else. */
  private boolean abortPending;

  /** Transactions that failed or timed out (each tried again). */
  private long failures;

  CommitTransactions(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /**
   * Registers the transactional id with the broker (fencing an earlier producer of the same id and
   * aborting its open transaction). A broker that does not answer within max.block.ms is tried
   * again until {@code stopRequested}; false then.
   */
  boolean init(BooleanSupplier stopRequested) {
    while (!stopRequested.getAsBoolean()) {
      try {
        producer.initTransactions();
        return true;
      } catch (TimeoutException | InterruptException e) {
        log.warn("the broker did not answer initTransactions yet, trying again: {}", e.toString());
      } catch (RuntimeException e) {
        throw new Fatal("initializing the dead-letter producer's transactions failed", e);
      }
    }
    return false;
  }

  /** How many transactions failed or timed out so far (each is tried again). */
  long failures() {
    return failures;
  }

  /** Whether a timed-out commit or abort is still to be finished. */
  boolean inDoubt() {
    return commitInDoubt != null || abortPending;
  }

  /**
   * Finishes a transaction left in doubt, then commits {@code next}; each batch committed is handed
   * to {@code committed} at once (so {@code next}, asked for only then, does not hold its letters
   * again).
   *
   * @throws Fatal when the producer cannot go on
   */
  void commit(
      Supplier<Batch> next, Supplier<ConsumerGroupMetadata> group, Consumer<Batch> committed) {
    if (abortPending && !abort()) {
      return;
    }
    if (commitInDoubt != null) {
      Batch batch = commitInDoubt;
      if (!commitTransaction(batch)) {
        return;
      }
      committed.accept(batch);
    }
    Batch batch = next.get();
    if (batch.isEmpty()) {
      return;
    }
    try {
      producer.beginTransaction();
    } catch (RuntimeException e) {
      // Only a producer in a fatal state (or a bug) refuses to begin.
      throw fatal(e);
    }
    try {
      for (PartitionLane.PendingLetter letter : batch.letters()) {
        producer.send(letter.letter());
      }
      producer.sendOffsetsToTransaction(batch.offsets(), group.get());
    } catch (RuntimeException e) {
      failed(batch, e);
      return;
    }
    if (commitTransaction(batch)) {
      committed.accept(batch);
    }
  }

  /** True when committed; false when in doubt or aborted. */
  private boolean commitTransaction(Batch batch) {
    try {
      producer.commitTransaction();
      commitInDoubt = null;
      return true;
    } catch (TimeoutException | InterruptException e) {
      if (e instanceof InterruptException) {
        Thread.interrupted(); // the next call may block again; the interrupt was for this one
      }
      commitInDoubt = batch;
      failures++;
      log.warn(
          "committing offsets {} with {} dead letter(s) timed out; committed again next: {}",
          batch.offsets(),
          batch.letters().size(),
          e.toString());
      return false;
    } catch (RuntimeException e) {
      commitInDoubt = null;
      failed(batch, e);
      return false;
    }
  }

  private void failed(Batch batch, RuntimeException e) {
    if (isFatal(e)) {
      throw fatal(e);
    }
    failures++;
    log.warn(
        "the transaction with offsets {} and {} dead letter(s) failed and is aborted; tried again"
            + " next: {}",
        batch.offsets(),
        batch.letters().size(),
        e.toString());
    abortPending = true;
    abort();
  }

  /** True when aborted (or nothing left to abort). */
  private boolean abort() {
    try {
      producer.abortTransaction();
      abortPending = false;
      return true;
    } catch (TimeoutException | InterruptException e) {
      if (e instanceof InterruptException) {
        Thread.interrupted();
      }
      log.warn("aborting the transaction timed out; aborted again next: {}", e.toString());
      return false;
    } catch (RuntimeException e) {
      throw fatal(e);
    }
  }

  /**
   * KIP-1050: an {@link ApplicationRecoverableException} (fenced producer or consumer instance,
   * producer epoch) needs a new producer, an {@link InvalidConfigurationException} (authorization,
   * unsupported version) an operator; anything but a {@link KafkaException} is a bug.
   */
  static boolean isFatal(RuntimeException e) {
    return !(e instanceof KafkaException)
        || e instanceof ApplicationRecoverableException
        || e instanceof InvalidConfigurationException
        || e instanceof OutOfOrderSequenceException;
  }

  private static Fatal fatal(RuntimeException e) {
    return e instanceof Fatal f
        ? f
        : new Fatal(
            "the dead-letter producer failed fatally ("
                + e
                + "); the router stops and must be"
                + " started again (the handled records are redelivered, no dead letter doubles)",
            e);
  }
}
