package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.activity.ActivitySetupException;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.runactivity.CreateTasks;
import io.bptemporal.contracts.runactivity.DefinitionSnapshot;
import io.bptemporal.contracts.runactivity.LoadDefinition;
import io.bptemporal.contracts.runactivity.RunActivityActivities;
import io.bptemporal.contracts.runactivity.TaskBatch;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.registry.taskrules.TaskRuleException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * RunActivity's activities: {@code LoadDefinition} and {@code CreateTasks} of the contract, and
 * this worker's {@code ResolveContext}. Failures no retry can fix are non-retryable, with types
 * {@value #DEFINITION_NOT_FOUND}, {@value #INVALID_DEFINITION}, {@value #REVISION_NOT_FOUND},
 * {@value TaskRuleException#FAILURE_TYPE} or {@value ActivitySetupException#FAILURE_TYPE}.
 */
public final class RunActivityActivitiesImpl
    implements RunActivityActivities, RunContextActivities {
  public static final String DEFINITION_NOT_FOUND = "DefinitionNotFound";
  public static final String INVALID_DEFINITION = "InvalidDefinition";
  public static final String REVISION_NOT_FOUND = "DefinitionRevisionNotFound";

  private final DefinitionSource registry;
  private final DefinitionArchive archive;
  private final RunLedger ledger;

  public RunActivityActivitiesImpl(
      DefinitionSource registry, DefinitionArchive archive, RunLedger ledger) {
    this.registry = registry;
    this.archive = archive;
    this.ledger = ledger;
  }

  @Override
  public DefinitionSnapshot loadDefinition(LoadDefinition request) {
    String activityId = request.activityId();
    Optional<ObjectNode> row;
    try {
      row = registry.current(activityId);
    } catch (ActivitySetupException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), ActivitySetupException.FAILURE_TYPE);
    }
    if (row.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "activity '"
              + activityId
              + "' is not in "
              + registry.describe()
              + "; accepted: an activity_id with a row in activity_definition",
          DEFINITION_NOT_FOUND);
    }
    ValidationResult<ActivityDefinition> checked =
        ContractValidator.validate(Contracts.ACTIVITY_DEFINITION, row.get());
    if (!checked.valid()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "registry row '"
              + activityId
              + "' (version "
              + row.get().path("version").asText()
              + ") breaks the ActivityDefinition contract: "
              + checked.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")),
          INVALID_DEFINITION);
    }
    ActivityDefinition current = checked.orElseThrow();
    boolean enabled = current.enabled() && !current.paused();
    archive.remember(current);
    if (request.version().isEmpty() || request.version().get() == current.version()) {
      return new DefinitionSnapshot(current, enabled);
    }
    long wanted = request.version().get();
    return archive
        .find(activityId, wanted)
        .map(old -> new DefinitionSnapshot(old, enabled))
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "revision "
                        + wanted
                        + " of activity '"
                        + activityId
                        + "' is not available: the registry has revision "
                        + current.version()
                        + ", and runs have used revisions "
                        + archive.versions(activityId)
                        + "; accepted: one of those, or no definition_version (the current one)",
                    REVISION_NOT_FOUND));
  }

  @Override
  public ContextSnapshot resolveContext(ResolveContext request) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    RunContext context =
        ledger.resolve(info.getWorkflowId(), info.getRunId(), request.run(), request.enabled());
    return new ContextSnapshot(context.hash(), context.factNames());
  }

  @Override
  public TaskBatch createTasks(CreateTasks request) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    try {
      return ledger.createTasks(info.getWorkflowId(), info.getRunId(), request);
    } catch (TaskRuleException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "activity '"
              + request.definition().activityId()
              + "' revision "
              + request.definition().version()
              + ": "
              + e.getMessage(),
          TaskRuleException.FAILURE_TYPE);
    }
  }
}
