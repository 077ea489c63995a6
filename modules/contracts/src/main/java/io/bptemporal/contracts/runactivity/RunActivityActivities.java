package io.bptemporal.contracts.runactivity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Activities of RunActivity, on task queue {@code activities-tq}. */
@ActivityInterface
public interface RunActivityActivities {

  /**
   * Reads a registry row (current or given revision); fails non-retryably when it does not exist.
   */
  @ActivityMethod(name = "LoadDefinition")
  DefinitionSnapshot loadDefinition(LoadDefinition request);

  /** Creates the run's task instances (idempotent by task key). */
  @ActivityMethod(name = "CreateTasks")
  TaskBatch createTasks(CreateTasks request);
}
