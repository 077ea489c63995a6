package io.bptemporal.contracts.pipeline;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Activities of the data pipeline, on task queue {@code pipelines-tq}. */
@ActivityInterface
public interface DataPipelineActivities {

  /** Counts the source and cuts it into partitions of {@code partition_size} records. */
  @ActivityMethod(name = "PlanPartitions")
  PartitionPlan planPartitions(PipelineRequest request);

  /**
   * Loads one partition; heartbeats a {@link BatchCheckpoint} after each committed batch.
   * Idempotent: rows are upserted by natural key, quarantine rows keyed by (pipeline_id, source
   * offset).
   */
  @ActivityMethod(name = "LoadPartition")
  PartitionResult loadPartition(LoadPartition request);
}
