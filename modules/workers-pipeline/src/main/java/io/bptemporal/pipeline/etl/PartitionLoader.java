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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one partition batch by batch: read, transform, commit (rows, quarantine and checkpoint in
 * one transaction), count, heartbeat. Resumes after the newest checkpoint it can find: the one
 * committed with the last batch (exact, survives a killed worker) or the one the last attempt
 * heartbeated (what Temporal kept).
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
      int batchSize = request.batchSize();
      try (Source source = sources.open(request);
          RecordReader reader = source.open(checkpoint.nextOffset(), checkpoint.cursor())) {
        while (checkpoint.nextOffset() < end) {
          long first = checkpoint.nextOffset();
          List<SourceRecord> records = reader.read((int) Math.min(batchSize, end - first));
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
          LoadBatch batch = transform(request, partition, transformer, first, records, reader);
          PartitionCheckpoint next = sink.commit(execution.checkpointKey(), checkpoint, batch);
          metrics.rows(PipelineRowOutcome.LOADED, next.loaded() - checkpoint.loaded());
          metrics.rows(
              PipelineRowOutcome.QUARANTINED, next.quarantined() - checkpoint.quarantined());
          if (next.quarantined() > checkpoint.quarantined()) {
            log.info(
                "pipeline {} partition {}: {} of records [{}, {}) quarantined (pipeline_quarantine), e.g. {}",
                request.pipelineId(),
                partition.index(),
                next.quarantined() - checkpoint.quarantined(),
                first,
                next.nextOffset(),
                batch.rejected().isEmpty()
                    ? "refused by the target"
                    : batch.rejected().get(0).position() + ": " + batch.rejected().get(0).reason());
          }
          checkpoint = next;
          heartbeat.beat(checkpoint);
        }
      }
      return new PartitionResult(
          partition.index(), checkpoint.read(), checkpoint.loaded(), checkpoint.quarantined());
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
