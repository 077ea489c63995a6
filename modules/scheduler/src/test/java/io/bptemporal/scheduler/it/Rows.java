package io.bptemporal.scheduler.it;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;

/** Registry rows for the tests, written as ActivityDefinition JSON (the contract's own spelling). */
final class Rows {
  /** A workflow type only the tests run; the reconcilers under test allow it by configuration. */
  static final String PROBE_WORKFLOW = "SchedulerProbeWorkflow";
  static final String PROBE_QUEUE = "scheduler-probe-tq";

  private Rows() {
  }

  static ActivityDefinition definition(String json) {
    return ContractValidator.validateDefinition(json).orElseThrow();
  }

  /** A probe row in {@code namespace} with the given trigger JSON. */
  static ActivityDefinition probe(String activityId, String namespace, String trigger) {
    return definition("""
        {"activity_id": "%s", "version": 1, "namespace": "%s", "workflow_type": "%s", "task_queue": "%s",
         "input": {"greeting": "hello"}, "trigger": %s, "owner": "team-scheduler-it"}
        """.formatted(activityId, namespace, PROBE_WORKFLOW, PROBE_QUEUE, trigger));
  }
}
