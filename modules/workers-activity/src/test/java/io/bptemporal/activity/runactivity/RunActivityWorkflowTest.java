package io.bptemporal.activity.runactivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.naming.TaskKeys;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.CreateTasks;
import io.bptemporal.contracts.runactivity.DefinitionSnapshot;
import io.bptemporal.contracts.runactivity.LoadDefinition;
import io.bptemporal.contracts.runactivity.RunActivityActivities;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.runactivity.TaskBatch;
import io.bptemporal.registry.taskrules.PlannedTask;
import io.bptemporal.registry.taskrules.TaskRules;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RunActivityWorkflow in the in-memory environment, with activities that keep their state in
 * memory.
 */
class RunActivityWorkflowTest {
  private static final Instant AT = Instant.parse("2026-11-21T02:00:00Z");

  /** Stands in for the registry and the pipeline database; evaluates the real task rules. */
  static final class InMemoryActivities implements RunActivityActivities, RunContextActivities {
    final Map<String, DefinitionSnapshot> registry = new ConcurrentHashMap<>();
    final Set<String> tasks = ConcurrentHashMap.newKeySet();
    final List<CreateTasks> created = Collections.synchronizedList(new ArrayList<>());
    final List<ResolveContext> resolved = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<PlannedTask>> planned = new ConcurrentHashMap<>();

    @Override
    public DefinitionSnapshot loadDefinition(LoadDefinition request) {
      DefinitionSnapshot snapshot = registry.get(request.activityId());
      if (snapshot == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "no " + request.activityId(), "DefinitionNotFound");
      }
      return snapshot;
    }

    @Override
    public ContextSnapshot resolveContext(ResolveContext request) {
      resolved.add(request);
      RunContext context = RunContext.of(request.run(), Definitions.json("{}"));
      return new ContextSnapshot(context.hash(), context.factNames());
    }

    @Override
    public TaskBatch createTasks(CreateTasks request) {
      created.add(request);
      RunContext context = RunContext.of(request, Definitions.json("{}"));
      List<PlannedTask> plannedTasks =
          TaskRules.from(request.definition().input()).evaluate(context.document());
      planned.put(request.runKey(), plannedTasks);
      List<String> keys = new ArrayList<>();
      int fresh = 0;
      for (PlannedTask task : plannedTasks) {
        String key = TaskKeys.of(request.runKey(), task.kind(), task.ordinal());
        keys.add(key);
        if (tasks.add(key)) {
          fresh++;
        }
      }
      return new TaskBatch(request.runKey(), context.hash(), keys, fresh);
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final InMemoryActivities activities = new InMemoryActivities();

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .registerSearchAttribute(
                    "TemporalScheduledStartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME)
                .build());
    Worker worker = env.newWorker(RunActivityWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RunActivityWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
    client = env.getWorkflowClient();
    ActivityDefinition exports =
        Definitions.definition(
            "nightly-export",
            3,
            """
        {"tasks": [{"kind": "export.range", "payload": {"from": "${run.window.from}", "to": "${run.window.to}",
                                                         "runs": "${run.window.missed_count}"}}]}""");
    activities.registry.put("nightly-export", new DefinitionSnapshot(exports, true));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private RunActivityResult run(
      String workflowId, RunActivityRequest request, Optional<Instant> scheduledStart) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(RunActivityWorkflow.TASK_QUEUE);
    scheduledStart.ifPresent(
        t ->
            options.setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(
                        RunActivityWorkflowImpl.SCHEDULED_START_TIME,
                        OffsetDateTime.ofInstant(t, ZoneOffset.UTC))
                    .build()));
    return client.newWorkflowStub(RunActivityWorkflow.class, options.build()).run(request);
  }

  @Test
  void aCompressedRunHandsItsWindowToTheTaskRules() {
    CompressedWindow window = new CompressedWindow(Instant.parse("2026-11-19T02:00:00Z"), AT, 3);
    RunActivityRequest request =
        new RunActivityRequest(
            "nightly-export",
            Optional.of(AT),
            Optional.empty(),
            Optional.of(window),
            Optional.empty());

    RunActivityResult result =
        run("nightly-export:2026-11-21T02:00:00Z", request, Optional.empty());

    assertThat(result.runKey()).isEqualTo("nightly-export:2026-11-21T02:00:00Z");
    assertThat(result.taskKeys())
        .containsExactly("nightly-export:2026-11-21T02:00:00Z/export.range/0");
    assertThat(activities.created)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.compressedWindow()).contains(window);
              assertThat(c.scheduledFor()).isEqualTo(AT);
            });
    assertThat(activities.planned.get(result.runKey()).get(0).payload())
        .isEqualTo(
            Definitions.json(
                """
        {"from": "2026-11-19T02:00:00Z", "to": "2026-11-21T02:00:00Z", "runs": 3}"""));
    String uncompressedHash =
        RunContext.of(
                new CreateTasks(
                    result.runKey(),
                    AT,
                    activities.registry.get("nightly-export").definition(),
                    Optional.empty(),
                    Optional.empty()),
                Definitions.json("{}"))
            .hash();
    assertThat(result.contextHash())
        .as("the window is part of what the run was given")
        .isNotEqualTo(uncompressedHash);
  }

  @Test
  void aRunStartedByATemporalScheduleTakesItsTimeFromTheSearchAttribute() {
    RunActivityRequest fixedInput =
        new RunActivityRequest(
            "nightly-export",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    // An ID that says nothing about the time: only the attribute can give it.
    RunActivityResult result = run("started-by-a-schedule", fixedInput, Optional.of(AT));
    RunActivityResult byId =
        run("nightly-export-2026-11-21T02:00:00Z", fixedInput, Optional.empty());

    assertThat(result.runKey()).isEqualTo("nightly-export:2026-11-21T02:00:00Z");
    assertThat(byId.runKey())
        .as("without the attribute, the Schedule's run ID gives the same run")
        .isEqualTo(result.runKey());
    assertThat(result.definitionVersion()).isEqualTo(3);
    assertThat(activities.created).allSatisfy(c -> assertThat(c.compressedWindow()).isEmpty());
  }

  @Test
  void aSecondRunForTheSameTimeProducesTheSameTaskKeysAndNothingNew() {
    RunActivityResult first =
        run(
            "nightly-export:2026-11-21T02:00:00Z",
            RunActivityRequest.scheduled("nightly-export", AT),
            Optional.empty());
    RunActivityResult second =
        run("manual-rerun-1", RunActivityRequest.scheduled("nightly-export", AT), Optional.empty());

    assertThat(second.taskKeys()).isEqualTo(first.taskKeys());
    assertThat(second.contextHash()).isEqualTo(first.contextHash());
    assertThat(activities.tasks).hasSize(1);
  }

  @Test
  void aDisabledRowsRunEndsWithoutTasks() {
    activities.registry.put(
        "nightly-export",
        new DefinitionSnapshot(activities.registry.get("nightly-export").definition(), false));

    RunActivityResult result =
        run(
            "nightly-export:2026-11-21T02:00:00Z",
            RunActivityRequest.scheduled("nightly-export", AT),
            Optional.empty());

    assertThat(result.taskKeys()).isEmpty();
    assertThat(activities.created).isEmpty();
    assertThat(activities.resolved)
        .singleElement()
        .satisfies(r -> assertThat(r.enabled()).isFalse());
  }

  @Test
  void aRequestWithoutARunToGoOnFailsAtOnceWithoutCallingAnActivity() {
    RunActivityRequest fixedInput =
        new RunActivityRequest(
            "nightly-export",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    assertThatThrownBy(() -> run("adhoc", fixedInput, Optional.empty()))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("INVALID_INPUT");
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("has neither scheduled_for nor trigger_event");
            });
    assertThat(activities.resolved).isEmpty();
  }

  @Test
  void historiesReplayWithTheCurrentCode() throws Exception {
    run(
        "nightly-export-2026-11-21T02:00:00Z",
        new RunActivityRequest(
            "nightly-export",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        Optional.of(AT));

    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory("nightly-export-2026-11-21T02:00:00Z"), RunActivityWorkflowImpl.class);
  }
}
