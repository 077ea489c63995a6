package io.bptemporal.pipeline.worker;

import static io.bptemporal.pipeline.TestDatabases.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.pipeline.TestDatabases;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.quarantine.QuarantineTable;
import io.bptemporal.pipeline.quarantine.QuarantinedRecord;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * What the end-to-end tests with pipeline worker processes share ({@link PipelineWorkerE2EIT},
 * {@link PipelineFaultsIT}): the worker's environment, a customers load of generated records into
 * {@code customers} (partitions of {@value #PARTITION_SIZE}, batches of {@value #BATCH_SIZE}), and
 * the audit of the target and the quarantine afterwards.
 */
final class PipelineLoads {
  static final int BATCH_SIZE = 2_000;
  static final int PARTITION_SIZE = 10_000;

  private PipelineLoads() {}

  /** The worker's environment as the chart gives it, on the dev stack. */
  static Map<String, String> workerEnv(
      StackEndpoints stack, String url, String database, String taskQueue) {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("TEMPORAL_NAMESPACE", Namespaces.PIPELINES.name());
    env.put("TEMPORAL_TASK_QUEUE", taskQueue);
    env.put("DB_URL", url);
    env.put("DB_USER", database);
    env.put("DB_PASSWORD", TestDatabases.PASSWORD);
    env.put("SHUTDOWN_GRACE_SECONDS", "5");
    // DEVSTACK_TLS / DEVSTACK_AUTH (and a run's payload keys): the worker's own certificate and
    // token.
    env.putAll(stack.temporalClientEnv("pipeline-worker"));
    return env;
  }

  /** A load that was started: its pipeline ID, its workflow, and its result when it ends. */
  record Load(
      String pipelineId, DataPipelineWorkflow workflow, CompletableFuture<PipelineResult> result) {
    /** Target rows plus quarantine rows of this load: the records committed so far. */
    String committedSql() {
      return "select (select count(*) from customers) + (select count(*) from pipeline_quarantine"
          + " where pipeline_id = '"
          + pipelineId
          + "')";
    }
  }

  /** Starts loading {@code file} into {@code customers} with the real rule set (quarantine on). */
  static Load start(
      WorkflowClient client, String taskQueue, CustomerData.Generated file, String name) {
    String pipelineId = name + "-" + UUID.randomUUID();
    DataPipelineWorkflow workflow =
        client.newWorkflowStub(
            DataPipelineWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.dataPipeline(pipelineId))
                .setTaskQueue(taskQueue)
                .build());
    WorkflowClient.start(
        workflow::run,
        new PipelineRequest(
            pipelineId,
            SourceSpec.file(SourceType.NDJSON, file.file().toString()),
            "customers",
            List.of("customer_id"),
            CustomerRuleSets.CUSTOMERS_V1,
            BATCH_SIZE,
            PARTITION_SIZE));
    return new Load(
        pipelineId,
        workflow,
        WorkflowStub.fromTyped(workflow).getResultAsync(PipelineResult.class));
  }

  static int partitions(CustomerData.Generated file) {
    return (int) ((file.records() + PARTITION_SIZE - 1) / PARTITION_SIZE);
  }

  /**
   * What the target and the quarantine hold after a load of {@code file}, counted against what the
   * file must give.
   *
   * @param goodMissing good records not in the target
   * @param duplicateTargetRows target rows beyond one per natural key
   * @param quarantineMissing bad records not in the quarantine
   * @param quarantineUnexpected quarantine rows of records that are not bad
   * @param duplicateQuarantineRows quarantine rows beyond one per source offset
   * @param wrongRule quarantined bad records without exactly the rule that must reject them
   */
  record Audit(
      long targetRows,
      long goodMissing,
      long duplicateTargetRows,
      long quarantineRows,
      long quarantineMissing,
      long quarantineUnexpected,
      long duplicateQuarantineRows,
      long wrongRule,
      long checkpoints) {
    /** Records the load should have written and did not. */
    long missing() {
      return goodMissing + quarantineMissing;
    }

    /** Rows written more than once. */
    long duplicated() {
      return duplicateTargetRows + duplicateQuarantineRows;
    }

    String summary() {
      return String.format(
          "target: %,d rows, %,d good records missing, %,d duplicate rows · quarantine: %,d rows,"
              + " %,d bad records missing, %,d unexpected, %,d duplicate, %,d with a wrong rule"
              + " · checkpoints: %d",
          targetRows,
          goodMissing,
          duplicateTargetRows,
          quarantineRows,
          quarantineMissing,
          quarantineUnexpected,
          duplicateQuarantineRows,
          wrongRule,
          checkpoints);
    }
  }

  static Audit audit(DataSource db, CustomerData.Generated file, String pipelineId)
      throws SQLException {
    long targetRows = count(db, "select count(*) from customers");
    long distinct = count(db, "select count(distinct customer_id) from customers");
    long goodPresent;
    List<QuarantinedRecord> quarantine;
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(distinct customer_id) from customers where customer_id = any (?)")) {
      String[] expected =
          LongStream.range(0, file.records())
              .filter(i -> !file.defects().containsKey(i))
              .mapToObj(CustomerData::customerId)
              .toArray(String[]::new);
      ps.setArray(1, c.createArrayOf("text", expected));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        goodPresent = rs.getLong(1);
      }
      quarantine = QuarantineTable.all(c, pipelineId);
    }
    TreeSet<Long> offsets =
        quarantine.stream()
            .map(QuarantinedRecord::sourceOffset)
            .collect(Collectors.toCollection(TreeSet::new));
    long missing = file.defects().keySet().stream().filter(o -> !offsets.contains(o)).count();
    long unexpected = offsets.stream().filter(o -> !file.defects().containsKey(o)).count();
    long wrongRule =
        quarantine.stream()
            .filter(q -> file.defects().containsKey(q.sourceOffset()))
            .filter(q -> !q.rules().equals(List.of(file.defects().get(q.sourceOffset()).rule())))
            .count();
    long checkpoints =
        count(
            db,
            "select count(*) from pipeline_checkpoint where pipeline_id = '" + pipelineId + "'");
    return new Audit(
        targetRows,
        file.good() - goodPresent,
        targetRows - distinct,
        quarantine.size(),
        missing,
        unexpected,
        quarantine.size() - offsets.size(),
        wrongRule,
        checkpoints);
  }

  /**
   * The load's exact outcome: every good record once in the target, every bad record once in the
   * quarantine with the rule that must reject it, its position and no resolution; one checkpoint
   * per partition execution.
   */
  static void assertExact(DataSource db, CustomerData.Generated file, String pipelineId)
      throws SQLException {
    Audit audit = audit(db, file, pipelineId);
    assertThat(audit.targetRows()).as("target rows").isEqualTo(file.good());
    assertThat(audit.goodMissing()).as("good records missing from the target").isZero();
    assertThat(audit.duplicateTargetRows()).as("duplicate target rows").isZero();
    assertThat(audit.quarantineRows()).as("quarantine rows").isEqualTo(file.defects().size());
    assertThat(audit.quarantineMissing()).as("bad records missing from the quarantine").isZero();
    assertThat(audit.quarantineUnexpected()).as("good records in the quarantine").isZero();
    assertThat(audit.wrongRule()).as("quarantined with another rule than expected").isZero();
    try (Connection c = db.getConnection()) {
      assertThat(QuarantineTable.all(c, pipelineId))
          .allSatisfy(
              q -> {
                assertThat(q.reason()).isNotBlank();
                assertThat(q.position()).isEqualTo(file.file() + ":" + (q.sourceOffset() + 1));
                assertThat(q.resolvedAt()).isEmpty();
              });
    }
    assertThat(audit.checkpoints())
        .as("one checkpoint per partition execution")
        .isEqualTo(partitions(file));
  }
}
