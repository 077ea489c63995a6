package io.bptemporal.devstack;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A workflow that waits for a signal and answers a query meanwhile: something for a reader to query
 * and a writer to signal in the authorization tests.
 */
@WorkflowInterface
public interface ParkedWorkflow {
  @WorkflowMethod
  String park();

  @SignalMethod
  void release(String by);

  @QueryMethod
  String state();

  final class Impl implements ParkedWorkflow {
    private String releasedBy;

    @Override
    public String park() {
      Workflow.await(() -> releasedBy != null);
      return "released by " + releasedBy;
    }

    @Override
    public void release(String by) {
      releasedBy = by;
    }

    @Override
    public String state() {
      return releasedBy == null ? "parked" : "released";
    }
  }
}
