package io.bptemporal.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.FailureDetails;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mechanism behind the contract, on the real server, for a payload type without a JSON Schema
 * (the strict mapper's side; the schema side is covered from TypeScript and Go by
 * PolyglotContractIT): how the Java SDK treats a payload the platform's converter refuses. A
 * workflow input fails the workflow at once with {@code INVALID_INPUT} — no workflow task is failed
 * and retried; a signal is dropped and the workflow goes on.
 */
@ExtendWith(DevStackExtension.class)
class ContractEnforcementIT {
  private static final Duration WITHIN = Duration.ofSeconds(60);

  private TemporalConnection connection;
  private WorkerFactory factory;
  private WorkflowClient client;
  private String taskQueue;

  /** A payload record without a schema: bound by the strict mapper. */
  public record Tally(long count, String label) {}

  @WorkflowInterface
  public interface TallyWorkflow {
    @WorkflowMethod(name = "TallyWorkflow")
    Tally run(Tally start);

    @SignalMethod(name = "add")
    void add(Tally delta);

    @SignalMethod(name = "finish")
    void finish();

    @QueryMethod(name = "current")
    Tally current();
  }

  public static final class TallyImpl implements TallyWorkflow {
    private long count;
    private String label = "";
    private boolean finished;

    @Override
    public Tally run(Tally start) {
      count = start.count();
      label = start.label();
      Workflow.await(() -> finished);
      return new Tally(count, label);
    }

    @Override
    public void add(Tally delta) {
      count += delta.count();
    }

    @Override
    public void finish() {
      finished = true;
    }

    @Override
    public Tally current() {
      return new Tally(count, label);
    }
  }

  @BeforeEach
  void startWorker(StackEndpoints stack) {
    taskQueue = "contract-it-" + UUID.randomUUID();
    connection =
        TemporalConnection.open(
            new TemporalSettings(
                stack.temporalAddress(), "default", taskQueue, Optional.empty(), Optional.empty()),
            Optional.empty());
    client = connection.client(List.of());
    factory = WorkerFactory.newInstance(client);
    factory
        .newWorker(taskQueue)
        .registerWorkflowImplementationTypes(
            ContractWorkflowOptions.implementationOptions(), TallyImpl.class);
    factory.start();
  }

  @AfterEach
  void stopWorker() {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    connection.close();
  }

  @Test
  void anUndecodableInputFailsTheWorkflowAtOnceWithInvalidInputAndNoTaskRetry() {
    for (Map<String, Object> bad :
        List.of(
            Map.<String, Object>of("count", 1.5, "label", "float for an integer"),
            Map.<String, Object>of("count", "1", "label", "string for an integer"),
            Map.<String, Object>of("count", 1, "label", "x", "extra", true),
            Map.<String, Object>of("label", "count missing"))) {
      String id = "tally-" + UUID.randomUUID();
      WorkflowStub stub =
          client.newUntypedWorkflowStub(
              "TallyWorkflow",
              WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(id).build());
      stub.start(bad);
      long started = System.nanoTime();

      assertThatThrownBy(() -> stub.getResult(WITHIN.toSeconds(), TimeUnit.SECONDS, Tally.class))
          .as("input %s", bad)
          .isInstanceOf(WorkflowFailedException.class)
          .cause()
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo("INVALID_INPUT");
                assertThat(failure.isNonRetryable()).isTrue();
                FailureDetails details = failure.getDetails().get(FailureDetails.class);
                assertThat(details.code()).isEqualTo(FailureCode.INVALID_INPUT);
                assertThat(details.violations())
                    .extracting(Violation::path)
                    .isNotEmpty()
                    .allMatch(p -> p.startsWith("$"));
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN);
      assertThat(client.fetchHistory(id).getEvents())
          .as("history of %s", bad)
          .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    }
  }

  @Test
  void anUndecodableSignalIsDroppedAndTheWorkflowGoesOn() throws Exception {
    String id = "tally-" + UUID.randomUUID();
    TallyWorkflow tally =
        client.newWorkflowStub(
            TallyWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(id).build());
    WorkflowClient.start(tally::run, new Tally(1, "healthy"));
    WorkflowStub untyped = WorkflowStub.fromTyped(tally);

    untyped.signal("add", Map.of("count", "2")); // a string: dropped, not coerced to 2
    untyped.signal("add", Map.of("count", 2.9)); // a float: dropped, not truncated to 2
    untyped.signal("add", Map.of("count", 5, "bonus", 1)); // an unknown field: dropped
    untyped.signal("add", Map.of("count", 2)); // valid
    untyped.signal("finish");

    assertThat(untyped.getResult(WITHIN.toSeconds(), TimeUnit.SECONDS, Tally.class))
        .as("only the valid signal counted")
        .isEqualTo(new Tally(3, "healthy"));
    assertThat(client.fetchHistory(id).getEvents())
        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  }
}
