package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.pipeline.load.BatchSink;
import io.bptemporal.pipeline.load.LoadBatch;
import io.bptemporal.pipeline.load.LoadTargets;
import io.bptemporal.pipeline.load.PartitionCheckpoint;
import io.bptemporal.pipeline.quarantine.QuarantineEntry;
import io.bptemporal.pipeline.transform.RecordTransformer;
import io.bptemporal.pipeline.transform.Transformed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target for workflow tests in the in-memory environment: rows by natural key, quarantine by
 * offset, every commit recorded. It keeps no checkpoints, so a retried attempt can only resume from
 * its heartbeat details, and it can fail a partition's commit once, or hold commits until released.
 */
final class InMemoryTargets implements LoadTargets {

  /** One commit: which partition, which records, on which attempt of the sink. */
  record Commit(int partition, long firstOffset, long nextOffset) {}

  final Map<String, List<Object>> rows = new ConcurrentHashMap<>();
  final Map<Long, QuarantineEntry> quarantine = new ConcurrentHashMap<>();
  final List<Commit> commits = Collections.synchronizedList(new ArrayList<>());

  /** The offset each opened sink's first commit started at, per partition, in opening order. */
  final Map<Integer, List<Long>> attemptStarts = new ConcurrentHashMap<>();

  final AtomicInteger rowWrites = new AtomicInteger();

  private volatile int failPartition = -1;
  private volatile int failAfterCommits;
  private final AtomicInteger commitsOfFailingPartition = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile int gatedAfterCommits = Integer.MAX_VALUE;
  private final AtomicInteger allCommits = new AtomicInteger();

  /**
   * The {@code n+1}-th commit of {@code partition} fails once, as a crash between batches would.
   */
  void failOnceAfter(int partition, int n) {
    failPartition = partition;
    failAfterCommits = n;
  }

  /** Commits after the first {@code n} wait until {@link #release()}. */
  void holdAfter(int n) {
    gate = new CountDownLatch(1);
    gatedAfterCommits = n;
  }

  void release() {
    gate.countDown();
  }

  @Override
  public void verify(PipelineRequest request, RecordTransformer transformer) {}

  @Override
  public BatchSink open(
      PipelineRequest request,
      RecordTransformer transformer,
      int partitionIndex,
      String workflowId,
      String runId) {
    List<Integer> keyIndexes = new ArrayList<>();
    for (String key : transformer.naturalKey()) {
      for (int i = 0; i < transformer.columns().size(); i++) {
        if (transformer.columns().get(i).name().equals(key)) {
          keyIndexes.add(i);
        }
      }
    }
    return new BatchSink() {
      private boolean first = true;

      @Override
      public Optional<PartitionCheckpoint> checkpoint(String checkpointKey) {
        return Optional.empty();
      }

      @Override
      public PartitionCheckpoint commit(
          String checkpointKey, PartitionCheckpoint previous, LoadBatch batch) {
        if (first) {
          attemptStarts
              .computeIfAbsent(partitionIndex, k -> Collections.synchronizedList(new ArrayList<>()))
              .add(batch.firstOffset());
          first = false;
        }
        if (allCommits.incrementAndGet() > gatedAfterCommits) {
          try {
            gate.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (partitionIndex == failPartition
            && commitsOfFailingPartition.incrementAndGet() == failAfterCommits + 1) {
          throw new IllegalStateException(
              "injected failure before committing ["
                  + batch.firstOffset()
                  + ", "
                  + batch.nextOffset()
                  + ") of partition "
                  + partitionIndex);
        }
        for (Transformed.Accepted row : batch.rows()) {
          StringBuilder key = new StringBuilder();
          keyIndexes.forEach(i -> key.append(row.values().get(i)).append('|'));
          rows.put(key.toString(), row.values());
          rowWrites.incrementAndGet();
        }
        batch.rejected().forEach(q -> quarantine.put(q.sourceOffset(), q));
        commits.add(new Commit(partitionIndex, batch.firstOffset(), batch.nextOffset()));
        return previous.after(
            batch.nextOffset(), batch.rows().size(), batch.rejected().size(), batch.cursor());
      }

      @Override
      public void close() {}
    };
  }
}
