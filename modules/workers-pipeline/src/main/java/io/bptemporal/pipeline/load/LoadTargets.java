package io.bptemporal.pipeline.load;

import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.pipeline.transform.RecordTransformer;

/**
 * Opens the target of a pipeline: checks it fits the rule set and the natural key, then writes
 * batches to it.
 */
public interface LoadTargets {

  /**
   * Refuses (with a {@link io.bptemporal.pipeline.PipelineSetupException}) a target that cannot
   * take the rows.
   */
  void verify(PipelineRequest request, RecordTransformer transformer);

  /**
   * A sink for one partition.
   *
   * @param workflowId the workflow that loads (kept with quarantine rows)
   * @param runId its run
   */
  BatchSink open(
      PipelineRequest request,
      RecordTransformer transformer,
      int partitionIndex,
      String workflowId,
      String runId);

  /** Drops checkpoints older than retention allows (housekeeping at planning time). */
  default void forgetCheckpointsOlderThan(java.time.Duration age) {}
}
