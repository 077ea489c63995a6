package io.bptemporal.pipeline.benchmark;

import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.LoadPartition;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionResult;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.etl.Heartbeat;
import io.bptemporal.pipeline.etl.PartitionLoader;
import io.bptemporal.pipeline.load.PartitionCheckpoint;
import io.bptemporal.pipeline.source.NdjsonFileSource;
import io.bptemporal.pipeline.source.RecordReader;
import io.bptemporal.pipeline.source.SourceRecord;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.pipeline.transform.RecordTransformer;
import io.bptemporal.pipeline.transform.TargetColumn;
import io.bptemporal.pipeline.transform.Transformed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The load benchmark: the same records into the same database three ways, timed from the first
 * statement to the last commit. A harness, not a test: it asserts nothing about time (machines
 * differ); the caller prints ratios.
 */
final class LoadBenchmark {

  /** One timed run. */
  record Measurement(String what, long rows, Duration took) {
    double perSecond() {
      return rows / (took.toNanos() / 1e9);
    }

    String line(double baseline) {
      return String.format(
          Locale.ROOT,
          "%-44s %,9d rows in %6.2f s = %,9.0f rows/s  (%.2f of plain JDBC)",
          what,
          rows,
          took.toNanos() / 1e9,
          perSecond(),
          perSecond() / baseline);
    }
  }

  private LoadBenchmark() {}

  /**
   * The rows the pipeline ends up writing, already transformed (not timed): the baseline's input.
   */
  static List<List<Object>> acceptedRows(
      CustomerData.Generated file, RecordTransformer transformer) {
    List<List<Object>> rows = new ArrayList<>();
    try (NdjsonFileSource source = new NdjsonFileSource(file.file());
        RecordReader reader = source.open(0, Optional.empty())) {
      List<SourceRecord> batch;
      while (!(batch = reader.read(10_000)).isEmpty()) {
        for (SourceRecord record : batch) {
          if (transformer.transform(record) instanceof Transformed.Accepted accepted) {
            rows.add(accepted.values());
          }
        }
      }
    }
    return rows;
  }

  /** Plain JDBC: INSERT with addBatch/executeBatch, a commit per batch, one connection. */
  static Measurement plainJdbcInsert(
      DataSource db,
      String table,
      List<TargetColumn> columns,
      List<List<Object>> rows,
      int batchSize)
      throws SQLException {
    StringJoiner names = new StringJoiner(", ");
    StringJoiner marks = new StringJoiner(", ");
    columns.forEach(
        c -> {
          names.add(c.name());
          marks.add("?");
        });
    String sql = "insert into " + table + " (" + names + ") values (" + marks + ")";
    long start = System.nanoTime();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(false);
      int pending = 0;
      for (List<Object> row : rows) {
        for (int i = 0; i < columns.size(); i++) {
          columns.get(i).type().bind(ps, i + 1, row.get(i));
        }
        ps.addBatch();
        if (++pending == batchSize) {
          ps.executeBatch();
          c.commit();
          pending = 0;
        }
      }
      ps.executeBatch();
      c.commit();
      c.setAutoCommit(true);
    }
    return new Measurement(
        "plain JDBC batch insert", rows.size(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** The pipeline's load path without Temporal: one partition through {@link PartitionLoader}. */
  static Measurement loaderOnly(PartitionLoader loader, PipelineRequest request, long records) {
    Heartbeat quiet =
        new Heartbeat() {
          @Override
          public Optional<PartitionCheckpoint> lastDetails() {
            return Optional.empty();
          }

          @Override
          public void beat(PartitionCheckpoint checkpoint) {}
        };
    long start = System.nanoTime();
    PartitionResult result =
        loader.load(
            new LoadPartition(request, new Partition(0, 0, records)),
            new PartitionLoader.Execution("bench-" + request.pipelineId(), "bench", "bench"),
            quiet);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (result.read() != records) {
      throw new IllegalStateException("loader read " + result.read() + " of " + records);
    }
    return new Measurement("pipeline load path, no Temporal (1 partition)", records, took);
  }

  /** The whole DataPipelineWorkflow on a Temporal server: plan, partitions in parallel, result. */
  static Measurement workflow(
      WorkflowClient client, String taskQueue, PipelineRequest request, long records) {
    DataPipelineWorkflow workflow =
        client.newWorkflowStub(
            DataPipelineWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.dataPipeline(request.pipelineId()))
                .setTaskQueue(taskQueue)
                .build());
    long start = System.nanoTime();
    PipelineResult result = workflow.run(request);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (result.read() != records) {
      throw new IllegalStateException("workflow read " + result.read() + " of " + records);
    }
    return new Measurement(
        "DataPipelineWorkflow (" + result.partitions() + " partitions, 4 at a time)",
        records,
        took);
  }

  static PipelineRequest request(
      String pipelineId, CustomerData.Generated file, String table, int batch, int partition) {
    return new PipelineRequest(
        pipelineId,
        SourceSpec.file(SourceType.NDJSON, file.file().toString()),
        table,
        List.of("customer_id"),
        CustomerRuleSets.CUSTOMERS_V1,
        batch,
        partition);
  }

  static void freshTable(DataSource db, String table) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop table if exists " + table);
      s.execute(CustomerData.createTable(table));
    }
  }
}
