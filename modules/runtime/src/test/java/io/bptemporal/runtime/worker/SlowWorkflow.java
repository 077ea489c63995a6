package io.bptemporal.runtime.worker;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** A workflow whose one activity takes a while: in flight when the worker is told to stop. */
@WorkflowInterface
public interface SlowWorkflow {
  @WorkflowMethod
  String run();

  @ActivityInterface
  interface Slow {
    String work();
  }

  final class Impl implements SlowWorkflow {
    private final Slow slow =
        Workflow.newActivityStub(
            Slow.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

    @Override
    public String run() {
      return slow.work();
    }
  }

  final class SlowImpl implements Slow {
    private final Duration duration;

    SlowImpl(Duration duration) {
      this.duration = duration;
    }

    @Override
    public String work() {
      System.out.println("activity started");
      try {
        // The activity's work is to take this long (a stop must let it finish): a fixed duration,
        // not a wait.
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return "done after " + duration.toSeconds() + "s in pid " + ProcessHandle.current().pid();
    }
  }
}
