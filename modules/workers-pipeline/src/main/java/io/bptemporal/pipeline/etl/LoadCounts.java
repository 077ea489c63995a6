package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.pipeline.PartitionResult;
import io.bptemporal.contracts.pipeline.PipelinePhase;
import io.bptemporal.contracts.pipeline.PipelineProgress;

/**
 * Workflow-side running totals behind the {@code progress} query (finished partitions only, as the
 * contract says).
 */
final class LoadCounts {
  private final String pipelineId;
  private PipelinePhase phase = PipelinePhase.PLANNING;
  private int partitionsTotal;
  private int partitionsDone;
  private long read;
  private long loaded;
  private long quarantined;

  LoadCounts(String pipelineId) {
    this.pipelineId = pipelineId;
  }

  void planned(int partitions) {
    partitionsTotal = partitions;
    phase = PipelinePhase.LOADING;
  }

  void add(PartitionResult result) {
    partitionsDone++;
    read += result.read();
    loaded += result.loaded();
    quarantined += result.quarantined();
  }

  void phase(PipelinePhase newPhase) {
    phase = newPhase;
  }

  long read() {
    return read;
  }

  long loaded() {
    return loaded;
  }

  long quarantined() {
    return quarantined;
  }

  int partitionsTotal() {
    return partitionsTotal;
  }

  PipelineProgress progress() {
    return new PipelineProgress(
        pipelineId, phase, partitionsTotal, partitionsDone, read, loaded, quarantined);
  }
}
