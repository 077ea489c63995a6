package io.bptemporal.pipeline.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.quarantine.QuarantineEntry;
import io.bptemporal.pipeline.quarantine.QuarantineTable;
import io.bptemporal.pipeline.transform.RuleViolation;
import io.bptemporal.pipeline.transform.TargetColumn;
import io.bptemporal.pipeline.transform.Transformed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch in one transaction: the JDBC batch of upserts, the quarantine rows, the closing
 * of quarantine rows of records that loaded now, and the checkpoint.
 *
 * <p>When the database refuses a row (SQLSTATE class 22 data exception or 23 integrity violation: a
 * value too long, a CHECK, a foreign key; or 21000 when one batch repeats a natural key) the batch
 * is redone row by row with a savepoint per row: refused rows go to quarantine with the database's
 * message, the rest loads. A batch is never lost and never stuck on one bad row.
 */
final class PostgresBatchSink implements BatchSink {
  private static final Logger log = LoggerFactory.getLogger(PostgresBatchSink.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SAVE_CHECKPOINT =
      """
      insert into pipeline_checkpoint (checkpoint_key, pipeline_id, partition_index, next_offset, read, loaded,
                                       quarantined, cursor, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, now())
      on conflict (checkpoint_key) do update
         set next_offset = excluded.next_offset, read = excluded.read, loaded = excluded.loaded,
             quarantined = excluded.quarantined, cursor = excluded.cursor, updated_at = now()
      """;

  private final DataSource database;
  private final TargetTable table;
  private final String ruleSet;
  private final String pipelineId;
  private final int partitionIndex;
  private final String workflowId;
  private final String runId;
  private final String upsert;

  PostgresBatchSink(
      DataSource database,
      TargetTable table,
      String ruleSet,
      String pipelineId,
      int partitionIndex,
      String workflowId,
      String runId) {
    this.database = database;
    this.table = table;
    this.ruleSet = ruleSet;
    this.pipelineId = pipelineId;
    this.partitionIndex = partitionIndex;
    this.workflowId = workflowId;
    this.runId = runId;
    this.upsert = table.upsertSql();
  }

  @Override
  public Optional<PartitionCheckpoint> checkpoint(String checkpointKey) {
    try (Connection c = database.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select partition_index, next_offset, read, loaded, quarantined,"
                    + " cursor from pipeline_checkpoint where checkpoint_key = ?")) {
      ps.setString(1, checkpointKey);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String cursor = rs.getString(6);
        return Optional.of(
            new PartitionCheckpoint(
                rs.getInt(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                cursor == null ? Optional.empty() : Optional.of(JSON.readTree(cursor))));
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot read the checkpoint " + checkpointKey + ": " + e.getMessage(), e);
    }
  }

  @Override
  public PartitionCheckpoint commit(
      String checkpointKey, PartitionCheckpoint previous, LoadBatch batch) {
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<QuarantineEntry> quarantine = new ArrayList<>(batch.rejected());
        try {
          upsertAll(c, batch.rows());
        } catch (SQLException e) {
          if (!refusesRows(e)) {
            throw e;
          }
          c.rollback();
          log.info(
              "pipeline {} partition {}: the target refused a row of batch [{}, {}) ({}); retrying the batch row"
                  + " by row",
              pipelineId,
              partitionIndex,
              batch.firstOffset(),
              batch.nextOffset(),
              e.getMessage());
          quarantine.addAll(upsertOneByOne(c, batch.rows()));
          quarantine.sort(Comparator.comparingLong(QuarantineEntry::sourceOffset));
        }
        QuarantineTable.write(c, quarantine, workflowId, runId);
        QuarantineTable.resolveLoaded(
            c,
            pipelineId,
            batch.firstOffset(),
            batch.nextOffset(),
            quarantine.stream().map(QuarantineEntry::sourceOffset).toList());
        long quarantined = quarantine.size();
        long loaded = batch.nextOffset() - batch.firstOffset() - quarantined;
        PartitionCheckpoint next =
            previous.after(batch.nextOffset(), loaded, quarantined, batch.cursor());
        saveCheckpoint(c, checkpointKey, next);
        c.commit();
        return next;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private void upsertAll(Connection c, List<Transformed.Accepted> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(upsert)) {
      for (Transformed.Accepted row : rows) {
        bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private List<QuarantineEntry> upsertOneByOne(Connection c, List<Transformed.Accepted> rows)
      throws SQLException {
    List<QuarantineEntry> refused = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(upsert)) {
      for (Transformed.Accepted row : rows) {
        Savepoint savepoint = c.setSavepoint();
        try {
          bind(ps, row);
          ps.executeUpdate();
          c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
          if (!refusesRows(e)) {
            throw e;
          }
          c.rollback(savepoint);
          refused.add(
              QuarantineEntry.of(
                  pipelineId,
                  partitionIndex,
                  row.source(),
                  List.of(
                      new RuleViolation(
                          ruleSet + "/target.refused",
                          RuleViolation.WHOLE_RECORD,
                          "the target table "
                              + table.name()
                              + " refused the row: "
                              + firstLine(e.getMessage())
                              + " (SQLSTATE "
                              + e.getSQLState()
                              + ")",
                          "a row the target table's constraints and column types accept",
                          "(see record)"))));
        }
      }
    }
    return refused;
  }

  private void bind(PreparedStatement ps, Transformed.Accepted row) throws SQLException {
    List<TargetColumn> columns = table.columns();
    for (int i = 0; i < columns.size(); i++) {
      columns.get(i).type().bind(ps, i + 1, row.values().get(i));
    }
  }

  private void saveCheckpoint(Connection c, String key, PartitionCheckpoint checkpoint)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SAVE_CHECKPOINT)) {
      ps.setString(1, key);
      ps.setString(2, pipelineId);
      ps.setInt(3, checkpoint.partitionIndex());
      ps.setLong(4, checkpoint.nextOffset());
      ps.setLong(5, checkpoint.read());
      ps.setLong(6, checkpoint.loaded());
      ps.setLong(7, checkpoint.quarantined());
      ps.setString(8, checkpoint.cursor().map(JsonNode::toString).orElse(null));
      ps.executeUpdate();
    }
  }

  /**
   * Errors about a row's content, as opposed to the connection, the schema or a conflict with
   * another writer.
   */
  private static boolean refusesRows(SQLException e) {
    String state = sqlState(e);
    return state.startsWith("22") || state.startsWith("23") || state.equals("21000");
  }

  private RuntimeException translate(SQLException e) {
    String state = sqlState(e);
    // 42P01 table gone, 42703 column gone, 42P10 no matching unique index, 42501 no privilege: a
    // retry meets
    // the same schema. Everything else (connection lost, deadlock 40P01, serialization 40001) is
    // retried.
    if (state.startsWith("42")) {
      return new PipelineSetupException(
          "loading into "
              + table.name()
              + " fails: "
              + firstLine(e.getMessage())
              + " (SQLSTATE "
              + state
              + ")",
          e);
    }
    return new IllegalStateException(
        "loading into "
            + table.name()
            + " fails: "
            + firstLine(e.getMessage())
            + " (SQLSTATE "
            + state
            + "; the batch is retried from the last checkpoint)",
        e);
  }

  private static String sqlState(SQLException e) {
    SQLException current = e;
    // executeBatch wraps the server's error in a BatchUpdateException whose own state may be
    // absent.
    while (current != null) {
      if (current.getSQLState() != null) {
        return current.getSQLState();
      }
      current = current.getNextException();
    }
    return "";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {}
}
