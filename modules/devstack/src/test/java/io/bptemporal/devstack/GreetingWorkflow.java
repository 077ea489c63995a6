package io.bptemporal.devstack;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A workflow with one activity: the smallest proof that server, persistence and a worker cooperate.
 */
@WorkflowInterface
public interface GreetingWorkflow {
  String TASK_QUEUE = "devstack-it";

  @WorkflowMethod
  String greet(String name);

  @ActivityInterface
  interface Greetings {
    String compose(String name);
  }

  final class Impl implements GreetingWorkflow {
    private final Greetings greetings =
        Workflow.newActivityStub(
            Greetings.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String greet(String name) {
      return greetings.compose(name);
    }
  }

  /**
   * Reports the worker's process so a test can tell the activity really ran in this JVM's worker.
   */
  final class GreetingsImpl implements Greetings {
    @Override
    public String compose(String name) {
      return "Hello, " + name + " from pid " + ProcessHandle.current().pid();
    }
  }
}
