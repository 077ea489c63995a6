package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionPlan;
import io.bptemporal.contracts.pipeline.PipelinePhase;
import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * Plans the partitions, then loads them: directly (at most {@value #PARALLEL_PARTITIONS} at a time) when there
 * are at most {@value #PARTITIONS_PER_CHILD}, else in child workflows of {@value #PARTITIONS_PER_CHILD}
 * partitions each, one after another, so the history of every workflow stays bounded however large the input.
 *
 * <p>The constants are part of the workflow's deterministic behaviour: changing them needs a
 * {@code Workflow.getVersion} branch for workflows that are already running.
 */
public final class DataPipelineWorkflowImpl implements DataPipelineWorkflow {
  static final int PARTITIONS_PER_CHILD = 100;
  static final int PARALLEL_PARTITIONS = 4;

  private final DataPipelineActivities planner =
      Workflow.newActivityStub(DataPipelineActivities.class, PipelineActivityOptions.planning());
  private final DataPipelineActivities loader =
      Workflow.newActivityStub(DataPipelineActivities.class, PipelineActivityOptions.loading());
  private LoadCounts counts;

  @Override
  public PipelineResult run(PipelineRequest request) {
    counts = new LoadCounts(request.pipelineId());
    try {
      PartitionPlan plan = planner.planPartitions(request);
      List<Partition> partitions = plan.partitions();
      counts.planned(partitions.size());
      if (partitions.size() <= PARTITIONS_PER_CHILD) {
        new PartitionRunner(loader, PARALLEL_PARTITIONS).run(request, partitions, counts::add);
      } else {
        for (int from = 0; from < partitions.size(); from += PARTITIONS_PER_CHILD) {
          List<Partition> group = partitions.subList(from, Math.min(from + PARTITIONS_PER_CHILD, partitions.size()));
          PartitionGroupWorkflow child = Workflow.newChildWorkflowStub(PartitionGroupWorkflow.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(childId(request, group)).build());
          child.load(new PartitionGroup(request, group)).results().forEach(counts::add);
        }
      }
      counts.phase(PipelinePhase.COMPLETED);
      return new PipelineResult(request.pipelineId(), counts.read(), counts.loaded(), counts.quarantined(),
          counts.partitionsTotal());
    } catch (TemporalFailure e) {
      counts.phase(PipelinePhase.FAILED);
      throw e;
    }
  }

  @Override
  public PipelineProgress progress() {
    return counts == null ? new PipelineProgress("", PipelinePhase.PLANNING, 0, 0, 0, 0, 0) : counts.progress();
  }

  /** {@code pipeline:<pipeline_id>:partitions:<first>-<last>}: deterministic, so a replay finds the same child. */
  static String childId(PipelineRequest request, List<Partition> group) {
    return WorkflowIds.dataPipeline(request.pipelineId()) + ":partitions:" + group.get(0).index() + "-"
        + group.get(group.size() - 1).index();
  }
}
