package io.bptemporal.scheduler;

import io.bptemporal.observability.config.Environment;
import io.bptemporal.scheduler.cli.SchedulerCommands;

/**
 * The scheduler process: {@code SchedulerMain [run|plan|apply|backfill|seed|migrate|help]}. Without
 * arguments it runs the long-running service ({@code run}), which is what a Deployment and {@code
 * make run} start. Configuration comes from the environment (docs/scheduler.md#configuration). Exit
 * codes: 0 done, 1 the command failed (a pass with errors, an unreachable dependency), 2 wrong
 * usage or configuration.
 */
public final class SchedulerMain {
  private SchedulerMain() {}

  public static void main(String[] args) {
    int code = SchedulerCommands.run(args, Environment.system(), System.out, System.err);
    System.exit(code);
  }
}
