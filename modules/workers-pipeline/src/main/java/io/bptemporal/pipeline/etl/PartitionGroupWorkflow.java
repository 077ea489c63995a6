package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A child of {@code DataPipelineWorkflow} that loads up to {@value
 * DataPipelineWorkflowImpl#PARTITIONS_PER_CHILD} partitions, so that no single history grows with
 * the size of the input: the parent records one child per group, each child a bounded number of
 * activities. Internal to this worker (not a platform contract); workflow ID {@code
 * pipeline:<pipeline_id>:partitions:<first>-<last>}.
 */
@WorkflowInterface
public interface PartitionGroupWorkflow {
  String WORKFLOW_TYPE = "DataPipelinePartitionsWorkflow";

  @WorkflowMethod(name = WORKFLOW_TYPE)
  PartitionGroupResult load(PartitionGroup group);

  @QueryMethod(name = "progress")
  PipelineProgress progress();
}
