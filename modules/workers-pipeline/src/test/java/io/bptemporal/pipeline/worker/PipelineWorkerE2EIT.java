package io.bptemporal.pipeline.worker;

import static io.bptemporal.pipeline.TestDatabases.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.devstack.junit.RecordedHistories;
import io.bptemporal.pipeline.TestDatabases;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the dev stack with the worker as its own OS process: 100,000 generated records with
 * a known set of bad ones; the worker is SIGKILLed in the middle of the load and a new one started;
 * the load resumes from its checkpoints (the new worker reads exactly the records not yet
 * committed), no row is written twice, and the counts and the quarantine are exact.
 */
@ExtendWith(DevStackExtension.class)
class PipelineWorkerE2EIT {
  private static final int RECORDS = 100_000;
  private static final long KILL_AT_COMMITTED = 30_000;
  private static final Pattern RESUMED =
      Pattern.compile("partition (\\d+) resumes at offset (\\d+) from its committed");

  @TempDir Path dir;

  @Test
  void aWorkerKilledMidLoadIsReplacedAndTheLoadResumesFromItsCheckpointsExactly(
      StackEndpoints stack) throws Exception {
    String database = "pipeline_e2e";
    String url = stack.postgres().freshDatabase(database, database, TestDatabases.PASSWORD);
    CustomerData.Generated file =
        CustomerData.writeNdjson(dir.resolve("customers.ndjson"), RECORDS, 3);
    String taskQueue = "pipelines-e2e-" + UUID.randomUUID();
    Map<String, String> env = PipelineLoads.workerEnv(stack, url, database, taskQueue);

    TemporalConnection connection =
        TemporalConnection.open(
            new TemporalSettings(
                    stack.temporalAddress(),
                    Namespaces.PIPELINES.name(),
                    taskQueue,
                    Optional.empty(),
                    Optional.empty())
                .withSecurity(stack.temporalClientEnv("pipeline-e2e-it")),
            Optional.empty());
    try (HikariDataSource db =
            Databases.pool(new DatabaseSettings(url, database, TestDatabases.PASSWORD, 2), "e2e");
        WorkerProcessHandle first = WorkerProcessHandle.start("worker-1", env)) {
      // The target exists before the worker ever ran: its first migration must cope with a
      // non-empty schema.
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute(CustomerData.createTable("customers"));
      }
      first.awaitReady(Duration.ofSeconds(60));
      WorkflowClient client = connection.client(List.of());
      PipelineLoads.Load load = PipelineLoads.start(client, taskQueue, file, "customers-e2e");
      String pipelineId = load.pipelineId();
      CompletableFuture<PipelineResult> result = load.result();
      String committedSql = load.committedSql();

      try {
        Awaitility.await("the load reaches " + KILL_AT_COMMITTED + " committed records")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(20))
            .failFast("the load must still run when the worker is killed", result::isDone)
            .until(() -> count(db, committedSql), committed -> committed >= KILL_AT_COMMITTED);
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        throw new AssertionError(
            e.getMessage() + "; worker output:\n" + String.join("\n", first.output()), e);
      }
      first.kill();
      assertThat(result).as("killed mid-load").isNotDone();
      // A fixed settle before the count is read (it is only printed): a commit the killed worker
      // sent may still land.
      Thread.sleep(1_000);
      long committedAtKill = count(db, committedSql);
      System.out.printf(
          "E2E: worker-1 SIGKILLed with %,d of %,d records committed%n", committedAtKill, RECORDS);

      try (WorkerProcessHandle second = WorkerProcessHandle.start("worker-2", env)) {
        second.awaitReady(Duration.ofSeconds(60));
        PipelineResult done = result.get(120, TimeUnit.SECONDS);
        long readBySecond = second.rowsCounted();
        List<String> resumed = second.linesContaining("resumes at offset");
        System.out.printf(
            "E2E: result %s; worker-2 read %,d records; resume lines:%n  %s%n",
            done, readBySecond, String.join("\n  ", resumed));

        assertThat(done)
            .isEqualTo(
                new PipelineResult(pipelineId, RECORDS, file.good(), file.defects().size(), 10));
        assertThat(readBySecond)
            .as(
                "worker-2 read exactly the records not committed before the kill: nothing twice,"
                    + " nothing started over")
            .isEqualTo(RECORDS - committedAtKill);
        assertThat(resumed)
            .as("at least one partition in flight resumed from its committed checkpoint")
            .isNotEmpty();
        for (String line : resumed) {
          Matcher m = RESUMED.matcher(line);
          assertThat(m.find()).as(line).isTrue();
          long partitionStart = Long.parseLong(m.group(1)) * 10_000;
          assertThat(Long.parseLong(m.group(2))).as(line).isGreaterThan(partitionStart);
        }

        PipelineLoads.assertExact(db, file, pipelineId);
        RecordedHistories.record(
            client, WorkflowIds.dataPipeline(pipelineId), "resumed-after-worker-kill");
        if (RecordedHistories.recording()) {
          recordFanOut(client, taskQueue);
        }
        assertThat(second.terminate(Duration.ofSeconds(20)))
            .as("SIGTERM stops the worker gracefully")
            .isZero();
      }
    } finally {
      connection.close();
    }
  }

  /**
   * Recording only (make record-histories): 101 partitions of one record, so the load fans out into
   * two children; the child of the last partition is the small history of PartitionGroup.
   */
  private void recordFanOut(WorkflowClient client, String taskQueue) {
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("fan-out.ndjson"), 101, 10);
    String pipelineId = "customers-fan-out-" + UUID.randomUUID();
    PipelineResult result =
        client
            .newWorkflowStub(
                DataPipelineWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.dataPipeline(pipelineId))
                    .setTaskQueue(taskQueue)
                    .build())
            .run(
                new PipelineRequest(
                    pipelineId,
                    SourceSpec.file(SourceType.NDJSON, file.file().toString()),
                    "customers",
                    List.of("customer_id"),
                    CustomerRuleSets.CUSTOMERS_V1,
                    1,
                    1));
    assertThat(result.partitions()).isEqualTo(101);
    RecordedHistories.record(client, WorkflowIds.dataPipeline(pipelineId), "fan-out-to-children");
    RecordedHistories.record(
        client, WorkflowIds.dataPipeline(pipelineId) + ":partitions:100-100", "one-partition");
  }
}
