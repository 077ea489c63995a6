package io.bptemporal.contracts.runactivity;

import io.bptemporal.contracts.naming.TaskQueues;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs one activity of the registry once: loads the definition, turns the run into task instances
 * (the task factory), and reports what it produced. Namespace {@value #NAMESPACE}, task queue
 * {@value #TASK_QUEUE}; workflow ID {@code <activity_id>:<scheduled_for>} or {@code
 * <activity_id>:event:<event_id>} (or {@code <activity_id>-<scheduled_for>} when a Temporal
 * Schedule started it).
 */
@WorkflowInterface
public interface RunActivityWorkflow {

  String WORKFLOW_TYPE = "RunActivityWorkflow";
  String NAMESPACE = "pipelines";
  String TASK_QUEUE = TaskQueues.ACTIVITIES;

  @WorkflowMethod(name = WORKFLOW_TYPE)
  RunActivityResult run(RunActivityRequest request);
}
