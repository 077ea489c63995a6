package io.bptemporal.activity.runactivity;

import io.bptemporal.activity.ActivitySetupException;
import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.PlatformFailures;
import io.bptemporal.contracts.runactivity.CreateTasks;
import io.bptemporal.contracts.runactivity.DefinitionSnapshot;
import io.bptemporal.contracts.runactivity.LoadDefinition;
import io.bptemporal.contracts.runactivity.RunActivityActivities;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.runactivity.TaskBatch;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.registry.taskrules.TaskRuleException;
import io.bptemporal.runtime.temporal.ScheduledStart;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The task factory: which run is this (request, event, or the Schedule that started it), load the
 * registry row's revision, snapshot the run's context, create the tasks the rules produce. A
 * disabled or paused row's run ends without tasks (its audit row says so).
 */
public final class RunActivityWorkflowImpl implements RunActivityWorkflow {
  /** Set by a Temporal Schedule on every run it starts: the run's nominal time. */
  static final SearchAttributeKey<OffsetDateTime> SCHEDULED_START_TIME = ScheduledStart.ATTRIBUTE;

  /** The activities' failure types and the codes the workflow fails with. */
  static final Map<String, FailureCode> ACTIVITY_FAILURE_CODES =
      Map.of(
          RunActivityActivitiesImpl.DEFINITION_NOT_FOUND, FailureCode.DEFINITION_NOT_FOUND,
          RunActivityActivitiesImpl.REVISION_NOT_FOUND, FailureCode.DEFINITION_REVISION_NOT_FOUND,
          RunActivityActivitiesImpl.INVALID_DEFINITION, FailureCode.INVALID_DEFINITION,
          TaskRuleException.FAILURE_TYPE, FailureCode.INVALID_TASK_RULES,
          // The contract has one code for a setup no retry fixes; RunActivity shares it with the
          // data pipeline.
          ActivitySetupException.FAILURE_TYPE, FailureCode.PIPELINE_SETUP_FAILED);

  private static final Logger log = Workflow.getLogger(RunActivityWorkflowImpl.class);

  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(20)
                  .build())
          .build();

  private final RunActivityActivities activities =
      Workflow.newActivityStub(RunActivityActivities.class, OPTIONS);
  private final RunContextActivities context =
      Workflow.newActivityStub(RunContextActivities.class, OPTIONS);

  @Override
  public RunActivityResult run(RunActivityRequest request) {
    RunIdentity run;
    try {
      run =
          RunIdentity.resolve(
              request, Workflow.getInfo().getWorkflowId(), ScheduledStart.ofThisRun());
    } catch (IllegalArgumentException e) {
      throw PlatformFailures.failure(
          FailureCode.INVALID_INPUT,
          e.getMessage(),
          List.of(
              new Violation(
                  "$",
                  e.getMessage(),
                  "a run request the docs describe (docs/activity-worker.md," + " RunActivity)",
                  "(see message)")),
          Optional.empty(),
          null);
    }
    try {
      return run(request, run);
    } catch (TemporalFailure failure) {
      // One failure shape for every workflow (docs/contracts.md, "Errors"): the code, not the
      // activity's failure.
      throw PlatformFailures.translate(
          failure, ACTIVITY_FAILURE_CODES, FailureCode.STEP_UNAVAILABLE);
    }
  }

  private RunActivityResult run(RunActivityRequest request, RunIdentity run) {
    log.info(
        "run {} of {} (nominal time from {})", run.runKey(), request.activityId(), run.origin());
    DefinitionSnapshot snapshot =
        activities.loadDefinition(
            new LoadDefinition(request.activityId(), request.definitionVersion()));
    CreateTasks tasks =
        new CreateTasks(
            run.runKey(),
            run.scheduledFor(),
            snapshot.definition(),
            run.triggerEvent(),
            run.compressedWindow());
    ContextSnapshot snapshotOfContext =
        context.resolveContext(new ResolveContext(tasks, snapshot.enabled()));
    if (!snapshot.enabled()) {
      log.info(
          "run {}: activity {} is disabled or paused; no tasks",
          run.runKey(),
          request.activityId());
      return new RunActivityResult(
          request.activityId(),
          run.runKey(),
          snapshot.definition().version(),
          snapshotOfContext.contextHash(),
          List.of());
    }
    TaskBatch batch = activities.createTasks(tasks);
    return new RunActivityResult(
        request.activityId(),
        batch.runKey(),
        snapshot.definition().version(),
        batch.contextHash(),
        batch.taskKeys());
  }
}
