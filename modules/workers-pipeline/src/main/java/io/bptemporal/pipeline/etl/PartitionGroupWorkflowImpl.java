package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.pipeline.PipelinePhase;
import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;

/** Loads its group of partitions with the same parallelism and activity options as the parent. */
public final class PartitionGroupWorkflowImpl implements PartitionGroupWorkflow {
  private final DataPipelineActivities loader =
      Workflow.newActivityStub(DataPipelineActivities.class, PipelineActivityOptions.loading());
  private LoadCounts counts;

  @Override
  public PartitionGroupResult load(PartitionGroup group) {
    counts = new LoadCounts(group.request().pipelineId());
    counts.planned(group.partitions().size());
    try {
      PartitionGroupResult result =
          new PartitionGroupResult(
              new PartitionRunner(loader, DataPipelineWorkflowImpl.PARALLEL_PARTITIONS)
                  .run(group.request(), group.partitions(), counts::add));
      counts.phase(PipelinePhase.COMPLETED);
      return result;
    } catch (TemporalFailure e) {
      counts.phase(PipelinePhase.FAILED);
      throw e;
    }
  }

  @Override
  public PipelineProgress progress() {
    return counts == null
        ? new PipelineProgress("", PipelinePhase.PLANNING, 0, 0, 0, 0, 0)
        : counts.progress();
  }
}
