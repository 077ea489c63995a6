package io.bptemporal.pipeline.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.PipelinePhase;
import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.source.SourceCatalog;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.pipeline.transform.RuleSetRegistry;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DataPipelineWorkflow with its real activities over files, in the SDK's in-memory environment. */
class DataPipelineWorkflowTest {
  @TempDir Path dir;

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final InMemoryTargets targets = new InMemoryTargets();
  private final Map<PipelineRowOutcome, AtomicLong> metered = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    // Real time: retries and heartbeat timeouts behave as on a server while the activities run.
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .registerSearchAttribute(
                    "TemporalScheduledStartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME)
                .build());
    Worker worker = env.newWorker(DataPipelineWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        DataPipelineWorkflowImpl.class, PartitionGroupWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new DataPipelineActivitiesImpl(
            SourceCatalog.filesOnly(),
            RuleSetRegistry.installed(),
            targets,
            (outcome, rows) ->
                metered.computeIfAbsent(outcome, o -> new AtomicLong()).addAndGet(rows)));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private DataPipelineWorkflow stub(String pipelineId) {
    return client.newWorkflowStub(
        DataPipelineWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.dataPipeline(pipelineId))
            .setTaskQueue(DataPipelineWorkflow.TASK_QUEUE)
            .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
            .build());
  }

  private static PipelineRequest request(String pipelineId, Path file, int batch, int partition) {
    return new PipelineRequest(
        pipelineId,
        SourceSpec.file(SourceType.NDJSON, file.toString()),
        "customers",
        List.of("customer_id"),
        CustomerRuleSets.CUSTOMERS_V1,
        batch,
        partition);
  }

  @Test
  void aFailedAttemptResumesFromItsHeartbeatedCheckpointAndLoadsEveryRecordOnce() throws Exception {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("in.ndjson"), 1_000, 20);
    targets.failOnceAfter(0, 3);

    PipelineResult result = stub("resume").run(request("resume", file.file(), 100, 1_000));

    assertThat(result)
        .isEqualTo(new PipelineResult("resume", 1_000, file.good(), file.defects().size(), 1));
    List<Long> starts = targets.attemptStarts.get(0);
    assertThat(starts)
        .as("two attempts: the first from offset 0, the retry from its checkpoint")
        .hasSize(2);
    assertThat(starts.get(0)).isZero();
    assertThat(starts.get(1))
        .as("the retry resumed after the 3 committed batches instead of starting over")
        .isEqualTo(300);
    assertThat(targets.rowWrites.get())
        .as("no record was written twice")
        .isEqualTo((int) file.good());
    assertThat(targets.rows).hasSize((int) file.good());
    assertThat(targets.quarantine.keySet())
        .containsExactlyInAnyOrderElementsOf(file.defects().keySet());
    assertThat(metered.get(PipelineRowOutcome.LOADED)).hasValue(file.good());
    assertThat(metered.get(PipelineRowOutcome.QUARANTINED)).hasValue(file.defects().size());

    // The same history replays with the current code: the workflow is deterministic.
    WorkflowExecutionHistory history = client.fetchHistory(WorkflowIds.dataPipeline("resume"));
    WorkflowReplayer.replayWorkflowExecution(history, DataPipelineWorkflowImpl.class);
  }

  @Test
  void everyQuarantinedRecordKeepsItsReasonAndPosition() {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("in.ndjson"), 500, 30);

    stub("reasons").run(request("reasons", file.file(), 50, 200));

    assertThat(targets.quarantine).hasSize(file.defects().size());
    file.defects()
        .forEach(
            (offset, defect) -> {
              var entry = targets.quarantine.get(offset);
              assertThat(entry.violations())
                  .as("record %d (%s)", offset, defect)
                  .extracting(v -> v.rule())
                  .containsExactly(defect.rule());
              assertThat(entry.position()).isEqualTo(file.file() + ":" + (offset + 1));
              assertThat(entry.raw()).isNotEmpty();
            });
  }

  @Test
  void manyPartitionsFanOutToChildWorkflowsOfAHundredEach() {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("in.ndjson"), 1_010, 10);

    PipelineResult result = stub("fan-out").run(request("fan-out", file.file(), 4, 4));

    assertThat(result.partitions()).isEqualTo(253);
    assertThat(result.read()).isEqualTo(1_010);
    assertThat(result.loaded()).isEqualTo(file.good());
    assertThat(result.quarantined()).isEqualTo(file.defects().size());
    WorkflowStub lastChild = client.newUntypedWorkflowStub("pipeline:fan-out:partitions:200-252");
    assertThat(lastChild.getResult(PartitionGroupResult.class).results()).hasSize(53);
    assertThat(client.fetchHistory(WorkflowIds.dataPipeline("fan-out")).getEvents())
        .as("the parent's history holds 3 children, not 253 activities")
        .hasSizeLessThan(60);
  }

  @Test
  void eachRunOfAScheduledPipelineIsItsOwnLoadNamedAfterItsNominalTime() {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("in.ndjson"), 200, 20);
    // What a Temporal Schedule does: the same input every time, the nominal time in a search
    // attribute.
    DataPipelineWorkflow workflow =
        client.newWorkflowStub(
            DataPipelineWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("nightly-customers-2026-11-21T01:00:00Z")
                .setTaskQueue(DataPipelineWorkflow.TASK_QUEUE)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(
                            io.bptemporal.runtime.temporal.ScheduledStart.ATTRIBUTE,
                            OffsetDateTime.parse("2026-11-21T01:00:00Z"))
                        .build())
                .build());

    PipelineResult result = workflow.run(request("customers-nightly", file.file(), 100, 100));

    assertThat(result.pipelineId()).isEqualTo("customers-nightly:2026-11-21T01:00:00Z");
    assertThat(targets.quarantine.values())
        .isNotEmpty()
        .allSatisfy(
            q -> assertThat(q.pipelineId()).isEqualTo("customers-nightly:2026-11-21T01:00:00Z"));
    assertThat(workflow.progress().pipelineId()).isEqualTo(result.pipelineId());
  }

  @Test
  void progressIsQueryableWhileLoadingAndCoversFinishedPartitions() throws Exception {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("in.ndjson"), 300, 20);
    targets.holdAfter(1);
    DataPipelineWorkflow workflow = stub("progress");
    WorkflowClient.start(workflow::run, request("progress", file.file(), 100, 100));
    CompletableFuture<PipelineResult> result =
        WorkflowStub.fromTyped(workflow).getResultAsync(PipelineResult.class);

    PipelineProgress midway = awaitProgress(workflow, p -> p.partitionsDone() == 1);
    assertThat(midway.phase()).isEqualTo(PipelinePhase.LOADING);
    assertThat(midway.partitionsTotal()).isEqualTo(3);
    assertThat(midway.read()).isEqualTo(100);
    assertThat(midway.loaded() + midway.quarantined()).isEqualTo(100);
    targets.release();

    PipelineResult done = result.get(60, TimeUnit.SECONDS);
    assertThat(workflow.progress())
        .isEqualTo(
            new PipelineProgress(
                "progress", PipelinePhase.COMPLETED, 3, 3, 300, done.loaded(), done.quarantined()));
  }

  @Test
  void aSetupProblemFailsThePipelineAtOnceNamingWhatIsAccepted() {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("in.ndjson"), 10, 0);
    PipelineRequest unknownRuleSet =
        new PipelineRequest(
            "bad-rules",
            SourceSpec.file(SourceType.NDJSON, file.file().toString()),
            "customers",
            List.of("customer_id"),
            "orders-v9",
            10,
            10);
    DataPipelineWorkflow workflow = stub("bad-rules");

    assertThatThrownBy(() -> workflow.run(unknownRuleSet))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("PIPELINE_SETUP_FAILED");
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getCause())
                  .as("the activity's failure stays the cause")
                  .isInstanceOf(ActivityFailure.class);
              assertThat(failure.getOriginalMessage())
                  .contains(
                      "rule_set 'orders-v9' is not known to this worker;"
                          + " accepted: one of [customers-v1]");
            });
    assertThat(workflow.progress().phase()).isEqualTo(PipelinePhase.FAILED);
  }

  @Test
  void aRequestBreakingTheContractIsRefusedWithEveryViolation() {
    PipelineRequest bad =
        new PipelineRequest(
            "bad request!",
            SourceSpec.file(SourceType.CSV, "/tmp/x.csv"),
            "Customers",
            List.of("customer_id"),
            CustomerRuleSets.CUSTOMERS_V1,
            20_000,
            10);

    assertThatThrownBy(() -> stub("bad-request").run(bad))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("$.pipeline_id")
        .hasMessageContaining("$.target_table")
        .hasMessageContaining("$.batch_size");
  }

  private static PipelineProgress awaitProgress(
      DataPipelineWorkflow workflow, java.util.function.Predicate<PipelineProgress> condition) {
    return Awaitility.await("the pipeline's progress matched")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(workflow::progress, condition);
  }
}
