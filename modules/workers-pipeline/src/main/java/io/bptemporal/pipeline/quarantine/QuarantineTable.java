package io.bptemporal.pipeline.quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.pipeline.transform.RuleViolation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@code pipeline_quarantine}: written inside the batch's transaction, idempotent by (pipeline_id,
 * source_offset). A record quarantined again (a retried batch, a re-run) overwrites its row with
 * the latest reasons and reopens it; a record a later run loaded closes its open row with
 * resolution {@code LOADED}.
 */
public final class QuarantineTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String UPSERT =
      """
      insert into pipeline_quarantine (pipeline_id, source_offset, partition_index, source_position, reason, violations,
                                       record, raw, workflow_id, run_id)
      values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)
      on conflict (pipeline_id, source_offset) do update
         set partition_index = excluded.partition_index, source_position = excluded.source_position,
             reason = excluded.reason, violations = excluded.violations, record = excluded.record, raw = excluded.raw,
             workflow_id = excluded.workflow_id, run_id = excluded.run_id, quarantined_at = now(),
             resolved_at = null, resolution = null
      """;

  private static final String RESOLVE_LOADED =
      """
      update pipeline_quarantine set resolved_at = now(), resolution = 'LOADED'
       where pipeline_id = ? and source_offset >= ? and source_offset < ? and resolved_at is null
         and not (source_offset = any (?))
      """;

  private QuarantineTable() {}

  /** Writes the entries (in the caller's transaction). */
  public static void write(
      Connection c, Collection<QuarantineEntry> entries, String workflowId, String runId)
      throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (QuarantineEntry e : entries) {
        ps.setString(1, e.pipelineId());
        ps.setLong(2, e.sourceOffset());
        ps.setInt(3, e.partitionIndex());
        ps.setString(4, e.position());
        ps.setString(5, storable(e.reason()));
        ps.setString(6, storable(violations(e.violations()).toString()));
        ps.setString(
            7, e.record().map(JsonNode::toString).map(QuarantineTable::storable).orElse(null));
        ps.setString(8, storable(e.raw()));
        ps.setString(9, workflowId);
        ps.setString(10, runId);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Closes open rows of records in {@code [fromOffset, toOffset)} that were loaded now, i.e. all
   * but {@code stillRejected} (in the caller's transaction). Nothing to do, and nearly free, when
   * the pipeline had nothing quarantined there.
   */
  public static int resolveLoaded(
      Connection c,
      String pipelineId,
      long fromOffset,
      long toOffset,
      Collection<Long> stillRejected)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RESOLVE_LOADED)) {
      ps.setString(1, pipelineId);
      ps.setLong(2, fromOffset);
      ps.setLong(3, toOffset);
      ps.setArray(4, c.createArrayOf("bigint", stillRejected.toArray()));
      return ps.executeUpdate();
    }
  }

  /** Open (unresolved) rows of a pipeline in source order, at most {@code limit}. */
  public static List<QuarantinedRecord> open(Connection c, String pipelineId, int limit)
      throws SQLException {
    return query(
        c,
        "where pipeline_id = ? and resolved_at is null order by source_offset limit ?",
        pipelineId,
        limit);
  }

  /** Every row of a pipeline, resolved or not, in source order. */
  public static List<QuarantinedRecord> all(Connection c, String pipelineId) throws SQLException {
    return query(
        c, "where pipeline_id = ? order by source_offset limit ?", pipelineId, Integer.MAX_VALUE);
  }

  private static List<QuarantinedRecord> query(
      Connection c, String where, String pipelineId, int limit) throws SQLException {
    String sql =
        "select pipeline_id, source_offset, partition_index, source_position, reason, violations, raw,"
            + " quarantined_at, resolved_at, resolution from pipeline_quarantine "
            + where;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, pipelineId);
      ps.setInt(2, limit);
      List<QuarantinedRecord> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> rules = new ArrayList<>();
          try {
            JSON.readTree(rs.getString(6)).forEach(v -> rules.add(v.path("rule").asText()));
          } catch (JsonProcessingException e) {
            throw new SQLException(
                "violations of quarantine row " + rs.getLong(2) + " are not JSON", e);
          }
          Timestamp resolved = rs.getTimestamp(9);
          rows.add(
              new QuarantinedRecord(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5),
                  rules,
                  rs.getString(7),
                  rs.getTimestamp(8).toInstant(),
                  Optional.ofNullable(resolved).map(Timestamp::toInstant),
                  Optional.ofNullable(rs.getString(10))));
        }
      }
      return rows;
    }
  }

  /**
   * PostgreSQL text and jsonb cannot hold NUL (a raw NUL or the JSON escape of one): a record with
   * binary garbage must still reach quarantine, so NUL is written as the visible text {@code
   * \\u0000}.
   */
  static String storable(String text) {
    return text.replace("\u0000", "\\u0000").replace("\\u0000", "\\\\u0000");
  }

  static ArrayNode violations(List<RuleViolation> violations) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (RuleViolation v : violations) {
      ObjectNode o = array.addObject();
      o.put("rule", v.rule());
      o.put("field", v.field());
      o.put("message", v.message());
      o.put("accepted", v.accepted());
      o.put("value", v.value());
    }
    return array;
  }
}
