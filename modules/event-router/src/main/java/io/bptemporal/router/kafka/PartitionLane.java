package io.bptemporal.router.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition: its records are handled strictly one after the other by one task at a
 * time, and {@link #handledUpTo()} is the offset to commit (the next record not yet handled). The
 * consumer thread owns everything but the task's progress and the halt signal.
 */
final class PartitionLane {
  final TopicPartition partition;

  /** Records polled but not yet handed to a task (consumer thread only). */
  final Deque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();

  /** Counted down when the partition is revoked or the process stops: the task ends early. */
  private final CountDownLatch halt = new CountDownLatch(1);

  /** Next offset to commit: one past the last record handled; -1 before the first. */
  private volatile long handledUpTo = -1;

  /** The offset last committed (consumer thread only). */
  long committed = -1;

  /** The running batch (consumer thread only). */
  Future<?> task;

  PartitionLane(TopicPartition partition) {
    this.partition = partition;
  }

  void handled(ConsumerRecord<byte[], byte[]> record) {
    handledUpTo = record.offset() + 1;
  }

  long handledUpTo() {
    return handledUpTo;
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
