package io.bptemporal.router.kafka;

import io.bptemporal.router.decode.DeadLetterReason;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition: its records are handled strictly one after the other by one task at a
 * time, and {@link #handledUpTo()} is the offset to commit (the next record not yet handled). A
 * handled record that is a dead letter leaves its letter here until the transaction that commits an
 * offset past it sends it ({@link #lettersBefore}, {@link #committed(long)}). The consumer thread
 * owns everything but the task's progress, its letters and the halt signal.
 */
final class PartitionLane {
  /**
   * A dead letter waiting for the commit of its source offset.
   *
   * @param source the source record's partition
   * @param offset the source record's offset
   * @param letter what goes to the dead-letter topic
   */
  record PendingLetter(
      TopicPartition source,
      long offset,
      ProducerRecord<byte[], byte[]> letter,
      DeadLetterReason kind,
      String reason) {}

  final TopicPartition partition;

  /** Records polled but not yet handed to a task (consumer thread only). */
  final Deque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();

  /** Counted down when the partition is revoked or the process stops: the task ends early. */
  private final CountDownLatch halt = new CountDownLatch(1);

  /** Next offset to commit: one past the last record handled; -1 before the first. */
  private volatile long handledUpTo = -1;

  /** Dead letters of handled records whose offsets are not committed yet, in offset order. */
  private final ConcurrentLinkedQueue<PendingLetter> letters = new ConcurrentLinkedQueue<>();

  /** The offset last committed (consumer thread only). */
  private long committed = -1;

  /** The running batch (consumer thread only). */
  Future<?> task;

  PartitionLane(TopicPartition partition) {
    this.partition = partition;
  }

  void handled(ConsumerRecord<byte[], byte[]> record) {
    handledUpTo = record.offset() + 1;
  }

  /**
   * The record is handled; its dead letter waits for the commit (the letter first, then progress).
   */
  void deadLettered(ConsumerRecord<byte[], byte[]> record, PendingLetter letter) {
    letters.add(letter);
    handledUpTo = record.offset() + 1;
  }

  long handledUpTo() {
    return handledUpTo;
  }

  long committed() {
    return committed;
  }

  /**
   * The pending letters of the records before {@code upTo} (read {@link #handledUpTo()} first:
   * every letter of a record before it is here).
   */
  List<PendingLetter> lettersBefore(long upTo) {
    return letters.stream().filter(l -> l.offset() < upTo).toList();
  }

  /** The offsets before {@code upTo} are committed, with their letters (consumer thread only). */
  void committed(long upTo) {
    committed = Math.max(committed, upTo);
    letters.removeIf(l -> l.offset() < upTo);
  }

  void halt() {
    halt.countDown();
  }

  boolean halted() {
    return halt.getCount() == 0;
  }

  /** Waits {@code millis} unless halted first; true when halted. */
  boolean awaitHalt(long millis) throws InterruptedException {
    return halt.await(millis, TimeUnit.MILLISECONDS);
  }

  boolean busy() {
    return task != null && !task.isDone();
  }

  /** Takes everything in the backlog, in order. */
  List<ConsumerRecord<byte[], byte[]>> drainBacklog() {
    List<ConsumerRecord<byte[], byte[]>> batch = List.copyOf(backlog);
    backlog.clear();
    return batch;
  }
}
