package io.bptemporal.activity.runactivity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * RunActivity's own step between the contract's {@code LoadDefinition} and {@code CreateTasks}
 * (internal to this worker, same task queue): snapshot the run's context once, so that every
 * attempt of {@code CreateTasks} evaluates the rules against the same facts.
 */
@ActivityInterface
public interface RunContextActivities {

  /**
   * Reads the facts, builds the context document and records it with its hash in the run's audit
   * row ({@code activity_run}, one per workflow execution). Idempotent: a retry finds the row and
   * returns it.
   */
  @ActivityMethod(name = "ResolveContext")
  ContextSnapshot resolveContext(ResolveContext request);
}
