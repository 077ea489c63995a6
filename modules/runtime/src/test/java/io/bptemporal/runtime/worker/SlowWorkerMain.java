package io.bptemporal.runtime.worker;

import io.bptemporal.observability.config.Environment;
import java.time.Duration;

/** A worker main as the real workers write it, for WorkerProcessIT (run in its own JVM). */
public final class SlowWorkerMain {
  private SlowWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    WorkerProcess.WorkerSettings settings =
        WorkerProcess.WorkerSettings.fromEnvironment(env, "slow-worker", "default", "slow-it");
    int seconds = env.integer("ACTIVITY_SECONDS", 3, 0, 600);
    env.validateOrExit("slow-worker");
    try (WorkerProcess process = WorkerProcess.start(settings)) {
      process.registerWorkflowImplementationTypes(SlowWorkflow.Impl.class);
      process.registerActivitiesImplementations(
          new SlowWorkflow.SlowImpl(Duration.ofSeconds(seconds)));
      process.runUntilStopped();
    }
  }
}
