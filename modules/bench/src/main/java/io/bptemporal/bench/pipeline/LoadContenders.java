package io.bptemporal.bench.pipeline;

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
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The contenders of the pipeline benchmark: the same good rows of one generated file into fresh
 * tables of the same schema in the same database, four ways, each timed from its first statement to
 * its last commit. Ours read the file and apply the rule set while they load; the two limits get
 * the rows already transformed (untimed), since they stand for what PostgreSQL can take, not for a
 * pipeline.
 */
public final class LoadContenders {
  private LoadContenders() {}

  /**
   * The rows the pipeline ends up writing, already transformed (not timed): the limits' input, and
   * read + transform alone when timed by the caller.
   */
  public static List<List<Object>> acceptedRows(
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
  public static long plainJdbcInsert(
      DataSource db,
      String table,
      List<TargetColumn> columns,
      List<List<Object>> rows,
      int batchSize)
      throws SQLException {
    StringJoiner marks = new StringJoiner(", ");
    columns.forEach(c -> marks.add("?"));
    String sql = "insert into " + table + " (" + names(columns) + ") values (" + marks + ")";
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
    return System.nanoTime() - start;
  }

  /**
   * PostgreSQL's own bulk path: one {@code COPY … FROM STDIN (FORMAT csv)} of all rows through
   * pgjdbc's CopyManager, in one transaction, the rows rendered to CSV while they stream (timed: a
   * loader has to render them too).
   */
  public static long copyIn(
      DataSource db, String table, List<TargetColumn> columns, List<List<Object>> rows)
      throws SQLException {
    String sql = "copy " + table + " (" + names(columns) + ") from stdin (format csv)";
    long start = System.nanoTime();
    try (Connection c = db.getConnection()) {
      CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
      try {
        StringBuilder chunk = new StringBuilder(1 << 16);
        for (List<Object> row : rows) {
          for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
              chunk.append(',');
            }
            csv(chunk, row.get(i));
          }
          chunk.append('\n');
          if (chunk.length() >= 1 << 16) {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
          }
        }
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        long copied = copy.endCopy();
        if (copied != rows.size()) {
          throw new IllegalStateException("COPY wrote " + copied + " of " + rows.size() + " rows");
        }
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
    }
    return System.nanoTime() - start;
  }

  /** CSV as COPY reads it: NULL is an unquoted empty field, everything else quoted. */
  private static void csv(StringBuilder out, Object value) {
    if (value == null) {
      return;
    }
    String text = value.toString();
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '"') {
        out.append('"');
      }
      out.append(ch);
    }
    out.append('"');
  }

  /** The pipeline's load path without Temporal: one partition through {@link PartitionLoader}. */
  public static long loaderOnly(PartitionLoader loader, PipelineRequest request, long records) {
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
    long took = System.nanoTime() - start;
    if (result.read() != records) {
      throw new IllegalStateException("loader read " + result.read() + " of " + records);
    }
    return took;
  }

  /** The whole DataPipelineWorkflow on a Temporal server: plan, partitions in parallel, result. */
  public static long workflow(
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
    long took = System.nanoTime() - start;
    if (result.read() != records) {
      throw new IllegalStateException("workflow read " + result.read() + " of " + records);
    }
    return took;
  }

  /** The customers' rule set (the real one), upsert by customer_id, bad records quarantined. */
  public static PipelineRequest request(
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

  public static void freshTable(DataSource db, String table) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop table if exists " + table);
      s.execute(CustomerData.createTable(table));
    }
  }

  public static long count(DataSource db, String table) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String names(List<TargetColumn> columns) {
    StringJoiner names = new StringJoiner(", ");
    columns.forEach(c -> names.add(c.name()));
    return names.toString();
  }
}
