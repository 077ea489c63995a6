package io.bptemporal.scheduler.it;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.grpc.StatusRuntimeException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Registry rows for the tests, written as ActivityDefinition JSON (the contract's own spelling).
 */
final class Rows {
  /** A workflow type only the tests run; the reconcilers under test allow it by configuration. */
  static final String PROBE_WORKFLOW = "SchedulerProbeWorkflow";

  static final String PROBE_QUEUE = "scheduler-probe-tq";

  /**
   * How long the tests wait for the visibility store (ListSchedules) to show a change. It is a
   * bound, not a delay: a quiet machine shows a change in well under a second; a loaded one was
   * seen to take over a minute.
   */
  static final java.time.Duration VISIBILITY_LAG = java.time.Duration.ofMinutes(5);

  /**
   * Waits for the visibility store to show something. A listing that times out meanwhile
   * (DEADLINE_EXCEEDED after 10 s: seen right after 1,000 creates on a loaded machine) is "not
   * yet", not a failure.
   */
  static ConditionFactory awaitVisibility(String what) {
    return Awaitility.await(what)
        .atMost(VISIBILITY_LAG)
        .pollInterval(java.time.Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class);
  }

  private Rows() {}

  static ActivityDefinition definition(String json) {
    return ContractValidator.validateDefinition(json).orElseThrow();
  }

  /** A probe row in {@code namespace} with the given trigger JSON. */
  static ActivityDefinition probe(String activityId, String namespace, String trigger) {
    return definition(
        """
        {"activity_id": "%s", "version": 1, "namespace": "%s", "workflow_type": "%s", "task_queue": "%s",
         "input": {"greeting": "hello"}, "trigger": %s, "owner": "team-scheduler-it"}
        """
            .formatted(activityId, namespace, PROBE_WORKFLOW, PROBE_QUEUE, trigger));
  }
}
