package io.bptemporal.contracts.pipeline;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The data pipeline: plan partitions, then load each partition (extract, transform by rule set,
 * upsert by natural key, quarantine rejects) in checkpointed, heartbeating batches. Namespace
 * {@value #NAMESPACE}, task queue {@value #TASK_QUEUE}, workflow ID {@code pipeline:<pipeline_id>}.
 */
@WorkflowInterface
public interface DataPipelineWorkflow {

  String WORKFLOW_TYPE = "DataPipelineWorkflow";
  String NAMESPACE = "pipelines";
  String TASK_QUEUE = "pipelines-tq";
  String PROGRESS_QUERY = "progress";

  @WorkflowMethod(name = WORKFLOW_TYPE)
  PipelineResult run(PipelineRequest request);

  @QueryMethod(name = PROGRESS_QUERY)
  PipelineProgress progress();
}
