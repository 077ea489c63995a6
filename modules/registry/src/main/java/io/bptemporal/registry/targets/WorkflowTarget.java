package io.bptemporal.registry.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.validation.Contract;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.registry.taskrules.TaskRuleException;
import io.bptemporal.registry.taskrules.TaskRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of what registry rows may target, and what the platform knows about each workflow
 * type a row may schedule (the scheduler's default SCHEDULER_WORKFLOW_TYPES are its keys): where
 * its workers poll, and the contract its input must satisfy. A row that sends a platform workflow
 * to another namespace or task queue would start runs no worker ever picks up, so that is refused
 * before a schedule exists.
 *
 * @param workflowType e.g. {@code RunActivityWorkflow}
 * @param namespace the only namespace its workers poll, when the platform knows it
 * @param taskQueue the only task queue its workers poll, when the platform knows it
 * @param inputContract the contract the row's {@code input} must satisfy, when the workflow takes
 *     the row's input as its argument
 */
public record WorkflowTarget(
    String workflowType,
    Optional<String> namespace,
    Optional<String> taskQueue,
    Optional<Contract<?>> inputContract) {

  /** The platform's workflows (docs/contracts.md#workflows-and-activities), in a stable order. */
  public static final Map<String, WorkflowTarget> PLATFORM =
      orderedByType(
          RunActivityWorkflow.WORKFLOW_TYPE,
              new WorkflowTarget(
                  RunActivityWorkflow.WORKFLOW_TYPE,
                  Optional.of(RunActivityWorkflow.NAMESPACE),
                  Optional.of(RunActivityWorkflow.TASK_QUEUE),
                  Optional.empty()),
          DataPipelineWorkflow.WORKFLOW_TYPE,
              new WorkflowTarget(
                  DataPipelineWorkflow.WORKFLOW_TYPE,
                  Optional.of(DataPipelineWorkflow.NAMESPACE),
                  Optional.of(DataPipelineWorkflow.TASK_QUEUE),
                  Optional.of(Contracts.PIPELINE_REQUEST)),
          OrderSagaWorkflow.WORKFLOW_TYPE,
              new WorkflowTarget(
                  OrderSagaWorkflow.WORKFLOW_TYPE,
                  Optional.of(OrderSagaWorkflow.NAMESPACE),
                  Optional.of(OrderSagaWorkflow.TASK_QUEUE),
                  Optional.of(Contracts.PLACE_ORDER)));

  private static Map<String, WorkflowTarget> orderedByType(
      String t1, WorkflowTarget r1, String t2, WorkflowTarget r2, String t3, WorkflowTarget r3) {
    Map<String, WorkflowTarget> targets = new java.util.LinkedHashMap<>();
    targets.put(t1, r1);
    targets.put(t2, r2);
    targets.put(t3, r3);
    return java.util.Collections.unmodifiableMap(targets);
  }

  /**
   * A type the operator allowed by configuration: any namespace and task queue, any input object.
   */
  public static WorkflowTarget unconstrained(String workflowType) {
    return PLATFORM.getOrDefault(
        workflowType,
        new WorkflowTarget(workflowType, Optional.empty(), Optional.empty(), Optional.empty()));
  }

  /**
   * Violations of the input contract, with paths below {@code $.input}. RunActivity's input has no
   * contract of its own but carries the task rules its runs follow: they are read here, at plan
   * time, so a rule that cannot work is reported on its row and never reaches a Schedule whose
   * every run would fail.
   */
  public List<Violation> checkInput(JsonNode input) {
    if (workflowType.equals(RunActivityWorkflow.WORKFLOW_TYPE)
        && input instanceof ObjectNode object) {
      try {
        TaskRules.from(object);
      } catch (TaskRuleException e) {
        return e.problems().stream().map(problem -> taskRuleViolation(problem, input)).toList();
      }
    }
    if (inputContract.isEmpty()) {
      return List.of();
    }
    return ContractValidator.validate(inputContract.get(), input).violations().stream()
        .map(
            v ->
                new Violation(
                    "$.input" + v.path().substring(1),
                    v.message() + " (input contract " + inputContract.get().name() + ")",
                    v.accepted(),
                    v.offendingValue()))
        .toList();
  }

  private static Violation taskRuleViolation(TaskRuleException.Problem problem, JsonNode input) {
    int cut = problem.detail().indexOf("; accepted: ");
    String message =
        "task rule " + (cut < 0 ? problem.detail() : problem.detail().substring(0, cut));
    String accepted =
        cut < 0
            ? "task rules as docs/activity-worker.md#task-rules describes them"
            : problem.detail().substring(cut + 12);
    // $.input.tasks[0].kind -> /tasks/0/kind below the input
    String pointer =
        problem
            .path()
            .substring("$.input".length())
            .replaceAll("\\[(\\d+)]", ".$1")
            .replace('.', '/');
    JsonNode found = input.at(pointer);
    return new Violation(
        problem.path(), message, accepted, found.isMissingNode() ? "(missing)" : found.toString());
  }
}
