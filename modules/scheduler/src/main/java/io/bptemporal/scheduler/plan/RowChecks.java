package io.bptemporal.scheduler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.MissedRunPolicy;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.targets.WorkflowTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Checks a registry row: first the ActivityDefinition contract (every violation, with path and
 * accepted values), then what only the scheduler can know - whether it manages the namespace,
 * whether the namespace exists on the Temporal server, whether the workflow type is one the
 * platform runs (and is sent where its workers poll), whether the input satisfies that workflow's
 * input contract.
 */
public final class RowChecks {
  private final SortedSet<String> managedNamespaces;
  private final Optional<SortedSet<String>> allowedWorkflowTypes;

  /**
   * @param managedNamespaces namespaces this scheduler manages (SCHEDULER_NAMESPACES)
   * @param allowedWorkflowTypes workflow types a row may name (SCHEDULER_WORKFLOW_TYPES); empty
   *     accepts any
   */
  public RowChecks(Set<String> managedNamespaces, Optional<Set<String>> allowedWorkflowTypes) {
    this.managedNamespaces = new TreeSet<>(managedNamespaces);
    this.allowedWorkflowTypes = allowedWorkflowTypes.map(TreeSet::new);
  }

  /**
   * @param existingNamespaces the managed namespaces the Temporal server knows, as found in this
   *     pass
   */
  public RowVerdict check(RegistryRow row, Set<String> existingNamespaces) {
    ValidationResult<ActivityDefinition> contract =
        ContractValidator.validate(Contracts.ACTIVITY_DEFINITION, row.toDefinitionDocument());
    List<Problem> problems = new ArrayList<>();
    contract.violations().forEach(v -> problems.add(Problem.of(v)));
    Set<String> reported = new HashSet<>();
    problems.forEach(p -> reported.add(p.path()));

    checkNamespace(row, existingNamespaces, reported, problems);
    checkWorkflowType(row, reported, problems);
    if (!reported.contains("$.policies.missed_run")
        && MissedRunPolicy.COMPRESS.name().equals(row.missedRunPolicy())
        && !RunActivityWorkflow.WORKFLOW_TYPE.equals(row.workflowType())) {
      // A Schedule's action input is fixed; only a run the scheduler starts itself can carry the
      // window of
      // missed times, and only RunActivityRequest has a field for it.
      problems.add(
          new Problem(
              "$.policies.missed_run",
              RegistryRow.columnOf("$.policies.missed_run"),
              "COMPRESS needs workflow_type "
                  + RunActivityWorkflow.WORKFLOW_TYPE
                  + ", whose input can carry the"
                  + " compressed window; "
                  + row.workflowType()
                  + " cannot be told which runs were folded together",
              "\"" + row.missedRunPolicy() + "\"",
              "CATCH_UP or SKIP for this workflow type, or workflow_type "
                  + RunActivityWorkflow.WORKFLOW_TYPE));
    }
    if (!problems.isEmpty()) {
      return new RowVerdict.Invalid(row, problems);
    }
    return new RowVerdict.Valid(row, contract.orElseThrow());
  }

  private void checkNamespace(
      RegistryRow row, Set<String> existing, Set<String> reported, List<Problem> problems) {
    if (reported.contains("$.namespace")) {
      return;
    }
    String column = RegistryRow.columnOf("$.namespace");
    if (!managedNamespaces.contains(row.namespace())) {
      problems.add(
          new Problem(
              "$.namespace",
              column,
              "is not a namespace this scheduler manages",
              quoted(row.namespace()),
              "one of " + managedNamespaces + " (SCHEDULER_NAMESPACES)"));
    } else if (!existing.contains(row.namespace())) {
      problems.add(
          new Problem(
              "$.namespace",
              column,
              "does not exist on the Temporal server",
              quoted(row.namespace()),
              "a registered namespace: " + new TreeSet<>(existing)));
    }
  }

  private void checkWorkflowType(RegistryRow row, Set<String> reported, List<Problem> problems) {
    if (reported.contains("$.workflow_type")) {
      return;
    }
    if (allowedWorkflowTypes.isPresent()
        && !allowedWorkflowTypes.get().contains(row.workflowType())) {
      problems.add(
          new Problem(
              "$.workflow_type",
              RegistryRow.columnOf("$.workflow_type"),
              "is not a workflow type the platform runs",
              quoted(row.workflowType()),
              "one of " + allowedWorkflowTypes.get() + " (SCHEDULER_WORKFLOW_TYPES)"));
      return;
    }
    WorkflowTarget rule = WorkflowTarget.unconstrained(row.workflowType());
    if (rule.namespace().isPresent()
        && !reported.contains("$.namespace")
        && !rule.namespace().get().equals(row.namespace())) {
      problems.add(
          new Problem(
              "$.namespace",
              RegistryRow.columnOf("$.namespace"),
              "is not where "
                  + row.workflowType()
                  + " runs: its workers poll namespace "
                  + rule.namespace().get(),
              quoted(row.namespace()),
              quoted(rule.namespace().get())));
    }
    if (rule.taskQueue().isPresent()
        && !reported.contains("$.task_queue")
        && !rule.taskQueue().get().equals(row.taskQueue())) {
      problems.add(
          new Problem(
              "$.task_queue",
              RegistryRow.columnOf("$.task_queue"),
              "is not where "
                  + row.workflowType()
                  + " runs: its workers poll task queue "
                  + rule.taskQueue().get(),
              quoted(row.taskQueue()),
              quoted(rule.taskQueue().get())));
    }
    JsonNode input = row.input();
    boolean inputReported =
        reported.stream().anyMatch(p -> p.equals("$.input") || p.startsWith("$.input."));
    if (input.isObject() && !inputReported) {
      rule.checkInput(input).forEach(v -> problems.add(Problem.of(v)));
    }
  }

  private static String quoted(String value) {
    return value == null ? "(missing)" : "\"" + value + "\"";
  }

  /** For messages and docs: the namespaces this scheduler manages. */
  public Set<String> managedNamespaces() {
    return new LinkedHashSet<>(managedNamespaces);
  }
}
