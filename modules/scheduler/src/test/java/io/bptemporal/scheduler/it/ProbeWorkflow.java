package io.bptemporal.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The tests' own scheduled workflow: returns its input, so a test sees what the schedule handed
 * over.
 */
@WorkflowInterface
public interface ProbeWorkflow {
  @WorkflowMethod(name = Rows.PROBE_WORKFLOW)
  JsonNode run(JsonNode input);

  /** Echoes the input with the workflow ID it ran under. */
  class Impl implements ProbeWorkflow {
    @Override
    public JsonNode run(JsonNode input) {
      var result = input.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) result)
          .put("workflow_id", Workflow.getInfo().getWorkflowId());
      return result;
    }
  }
}
