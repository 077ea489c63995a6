package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.pipeline.LoadPartition;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionResult;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.load.BatchSink;
import io.bptemporal.pipeline.load.LoadBatch;
import io.bptemporal.pipeline.load.LoadTargets;
import io.bptemporal.pipeline.load.PartitionCheckpoint;
import io.bptemporal.pipeline.quarantine.QuarantineEntry;
import io.bptemporal.pipeline.source.RecordReader;
import io.bptemporal.pipeline.source.Source;
import io.bptemporal.pipeline.source.SourceCatalog;
import io.bptemporal.pipeline.source.SourceRecord;
import io.bptemporal.pipeline.transform.RecordTransformer;
import io.bptemporal.pipeline.transform.RuleSetRegistry;
import io.bptemporal.pipeline.transform.Transformed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Loads one partition batch by batch: read, transform, commit (rows, quarantine and checkpoint in
 * one transaction), count, heartbeat; the next batch is read and transformed while one commits.
 * Resumes after the newest checkpoint it can find: the one committed with the last batch (exact,
 * survives a killed worker) or the one the last attempt heartbeated (what Temporal kept).
 */
public final class PartitionLoader {
  private static final Logger log = LoggerFactory.getLogger(PartitionLoader.class);

  private final SourceCatalog sources;
  private final RuleSetRegistry ruleSets;
  private final LoadTargets targets;
  private final PipelineRowMetrics metrics;

  public PartitionLoader(
      SourceCatalog sources,
      RuleSetRegistry ruleSets,
      LoadTargets targets,
      PipelineRowMetrics metrics) {
    this.sources = sources;
    this.ruleSets = ruleSets;
    this.targets = targets;
    this.metrics = metrics;
  }

  /**
   * Who is loading: the checkpoint key stays the same across the attempts of one activity
   * execution.
   *
   * @param checkpointKey {@code activity/<workflow id>/<run id>/<activity id>}
   */
  public record Execution(String checkpointKey, String workflowId, String runId) {}

  public PartitionResult load(LoadPartition task, Execution execution, Heartbeat heartbeat) {
    PipelineRequest request = task.request();
    Partition partition = task.partition();
    RecordTransformer transformer =
        ruleSets.require(request.ruleSet()).forNaturalKey(request.naturalKey());
    targets.verify(request, transformer);
    long end = partition.offset() + partition.limit();
    try (BatchSink sink =
        targets.open(
            request, transformer, partition.index(), execution.workflowId(), execution.runId())) {
      Optional<PartitionCheckpoint> committed =
          sink.checkpoint(execution.checkpointKey()).filter(c -> fits(c, partition));
      Optional<PartitionCheckpoint> heartbeated =
          heartbeat.lastDetails().filter(c -> fits(c, partition));
      PartitionCheckpoint resumed =
          newest(committed, heartbeated)
              .orElse(PartitionCheckpoint.start(partition.index(), partition.offset()));
      PartitionCheckpoint checkpoint = resumed;
      if (resumed.nextOffset() > partition.offset()) {
        log.info(
            "pipeline {} partition {} resumes at offset {} from its {} checkpoint ({} of {} records done:"
                + " loaded {}, quarantined {})",
            request.pipelineId(),
            partition.index(),
            resumed.nextOffset(),
            committed.filter(c -> c.nextOffset() == resumed.nextOffset()).isPresent()
                ? "committed"
                : "heartbeat",
            resumed.read(),
            partition.limit(),
            resumed.loaded(),
            resumed.quarantined());
      }
      heartbeat.beat(checkpoint);
      Map<String, String> logContext = MDC.getCopyOfContextMap();
      try (Source source = sources.open(request);
          RecordReader reader = source.open(checkpoint.nextOffset(), checkpoint.cursor());
          // Closed first: waits for a read in flight before the reader closes.
          ExecutorService ahead = Executors.newSingleThreadExecutor(READ_AHEAD)) {
        // One batch ahead: batch n+1 is read and transformed in this JVM while the database
        // commits batch n (two cores at work instead of one taking turns: docs/performance.md).
        // Commits, checkpoints and heartbeats stay in order on this thread.
        LongFunction<Future<LoadBatch>> readFrom =
            from ->
                ahead.submit(
                    readAhead(
                        request, partition, transformer, source, reader, from, end, logContext));
        Future<LoadBatch> next =
            checkpoint.nextOffset() < end ? readFrom.apply(checkpoint.nextOffset()) : null;
        try {
          while (next != null) {
            LoadBatch batch = await(next);
            next = batch.nextOffset() < end ? readFrom.apply(batch.nextOffset()) : null;
            PartitionCheckpoint done = sink.commit(execution.checkpointKey(), checkpoint, batch);
            metrics.rows(PipelineRowOutcome.LOADED, done.loaded() - checkpoint.loaded());
            metrics.rows(
                PipelineRowOutcome.QUARANTINED, done.quarantined() - checkpoint.quarantined());
            if (done.quarantined() > checkpoint.quarantined()) {
              log.info(
                  "pipeline {} partition {}: {} of records [{}, {}) quarantined (pipeline_quarantine), e.g. {}",
                  request.pipelineId(),
                  partition.index(),
                  done.quarantined() - checkpoint.quarantined(),
                  batch.firstOffset(),
                  done.nextOffset(),
                  batch.rejected().isEmpty()
                      ? "refused by the target"
                      : batch.rejected().get(0).position()
                          + ": "
                          + batch.rejected().get(0).reason());
            }
            checkpoint = done;
            heartbeat.beat(checkpoint);
          }
        } finally {
          if (next != null) {
            next.cancel(true);
          }
        }
      }
      return new PartitionResult(
          partition.index(), checkpoint.read(), checkpoint.loaded(), checkpoint.quarantined());
    }
  }

  private static final ThreadFactory READ_AHEAD =
      Thread.ofPlatform().name("pipeline-read-ahead-", 0).daemon().factory();

  /** Reads and transforms the batch at {@code first}, with the caller's log context. */
  private static Callable<LoadBatch> readAhead(
      PipelineRequest request,
      Partition partition,
      RecordTransformer transformer,
      Source source,
      RecordReader reader,
      long first,
      long end,
      Map<String, String> logContext) {
    return () -> {
      if (logContext != null) {
        MDC.setContextMap(logContext);
      }
      try {
        List<SourceRecord> records = reader.read((int) Math.min(request.batchSize(), end - first));
        if (records.isEmpty()) {
          throw new PipelineSetupException(
              source.describe()
                  + " ended at record "
                  + first
                  + ", but the plan of"
                  + " pipeline "
                  + request.pipelineId()
                  + " expects records up to "
                  + end
                  + ": the source changed after"
                  + " it was planned; start a new pipeline run over the changed source");
        }
        return transform(request, partition, transformer, first, records, reader);
      } finally {
        MDC.clear();
      }
    };
  }

  /** The batch read ahead; what failed there is thrown here, as if it had been read here. */
  private static LoadBatch await(Future<LoadBatch> batch) {
    try {
      return batch.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("reading ahead failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next batch", e);
    }
  }

  private static LoadBatch transform(
      PipelineRequest request,
      Partition partition,
      RecordTransformer transformer,
      long first,
      List<SourceRecord> records,
      RecordReader reader) {
    List<Transformed.Accepted> rows = new ArrayList<>(records.size());
    List<QuarantineEntry> rejected = new ArrayList<>();
    long expected = first;
    for (SourceRecord record : records) {
      if (record.offset() != expected) {
        throw new IllegalStateException(
            "source returned record " + record.offset() + " where " + expected + " was expected");
      }
      expected++;
      switch (transformer.transform(record)) {
        case Transformed.Accepted accepted -> rows.add(accepted);
        case Transformed.Rejected r ->
            rejected.add(QuarantineEntry.of(request.pipelineId(), partition.index(), r));
      }
    }
    return new LoadBatch(first, expected, rows, rejected, reader.cursor());
  }

  private static boolean fits(PartitionCheckpoint checkpoint, Partition partition) {
    return checkpoint.partitionIndex() == partition.index()
        && checkpoint.nextOffset() >= partition.offset()
        && checkpoint.nextOffset() <= partition.offset() + partition.limit();
  }

  private static Optional<PartitionCheckpoint> newest(
      Optional<PartitionCheckpoint> a, Optional<PartitionCheckpoint> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().nextOffset() >= b.get().nextOffset() ? a : b;
  }
}
