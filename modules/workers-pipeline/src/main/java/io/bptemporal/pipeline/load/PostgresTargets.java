package io.bptemporal.pipeline.load;

import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.transform.ColumnType;
import io.bptemporal.pipeline.transform.RecordTransformer;
import io.bptemporal.pipeline.transform.TargetColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Targets in the worker's PostgreSQL database (the pipeline database, next to the quarantine and
 * checkpoints).
 */
public final class PostgresTargets implements LoadTargets {

  /**
   * PostgreSQL types (pg_type.typname) a rule set's column type can be written into without
   * surprise.
   */
  private static final Map<ColumnType, Set<String>> COMPATIBLE =
      Map.of(
          ColumnType.TEXT, Set.of("text", "varchar", "bpchar", "citext", "name"),
          ColumnType.BIGINT, Set.of("int8", "int4", "int2", "numeric"),
          ColumnType.NUMERIC, Set.of("numeric", "float8", "float4"),
          ColumnType.BOOLEAN, Set.of("bool"),
          ColumnType.DATE, Set.of("date", "timestamp", "timestamptz"),
          ColumnType.TIMESTAMPTZ, Set.of("timestamptz", "timestamp"),
          ColumnType.JSONB, Set.of("jsonb", "json"));

  private final DataSource database;

  public PostgresTargets(DataSource database) {
    this.database = database;
  }

  @Override
  public void verify(PipelineRequest request, RecordTransformer transformer) {
    TargetTable table =
        new TargetTable(request.targetTable(), transformer.columns(), request.naturalKey());
    try (Connection c = database.getConnection()) {
      String regclass;
      try (PreparedStatement ps = c.prepareStatement("select to_regclass(?)::text")) {
        ps.setString(1, table.quotedName());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          regclass = rs.getString(1);
        }
      }
      if (regclass == null) {
        throw new PipelineSetupException(
            "target_table '"
                + table.name()
                + "' does not exist in the pipeline database;"
                + " accepted: an existing table with the rule set's columns and a unique constraint on the natural key, e.g."
                + " create table "
                + table.name()
                + " ("
                + ddlHint(transformer)
                + ", primary key ("
                + String.join(", ", request.naturalKey())
                + "))");
      }
      Map<String, String> types = new HashMap<>();
      List<String> notNullWithoutDefault = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              """
          select a.attname, t.typname, a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = ''
            from pg_attribute a join pg_type t on t.oid = a.atttypid
           where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped""")) {
        ps.setString(1, table.quotedName());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            types.put(rs.getString(1), rs.getString(2));
            if (rs.getBoolean(3)) {
              notNullWithoutDefault.add(rs.getString(1));
            }
          }
        }
      }
      List<String> problems = new ArrayList<>();
      Set<String> filled = new HashSet<>();
      for (TargetColumn column : transformer.columns()) {
        filled.add(column.name());
        String actual = types.get(column.name());
        if (actual == null) {
          problems.add(
              "has no column "
                  + column.name()
                  + " ("
                  + column.type().sqlName()
                  + ") that rule set "
                  + transformer.ruleSet().name()
                  + " fills");
        } else if (!COMPATIBLE.get(column.type()).contains(actual)) {
          problems.add(
              "column "
                  + column.name()
                  + " is "
                  + actual
                  + ", rule set "
                  + transformer.ruleSet().name()
                  + " writes "
                  + column.type().sqlName()
                  + " (accepted: "
                  + COMPATIBLE.get(column.type())
                  + ")");
        }
      }
      notNullWithoutDefault.stream()
          .filter(n -> !filled.contains(n))
          .forEach(
              n ->
                  problems.add(
                      "column "
                          + n
                          + " is NOT NULL without a default, and rule set "
                          + transformer.ruleSet().name()
                          + " does not fill it"));
      if (!hasUniqueIndexOn(c, table)) {
        problems.add(
            "has no unique constraint or index on exactly the natural key ("
                + String.join(", ", request.naturalKey())
                + "), which the upsert needs as its conflict target; add one: create unique index on "
                + table.name()
                + " ("
                + String.join(", ", request.naturalKey())
                + ")");
      }
      if (!problems.isEmpty()) {
        throw new PipelineSetupException(
            "target_table '"
                + table.name()
                + "' cannot take the pipeline's rows: "
                + String.join("; ", problems));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot inspect target_table '" + table.name() + "': " + e.getMessage(), e);
    }
  }

  private static boolean hasUniqueIndexOn(Connection c, TargetTable table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        select array(select a.attname::text from unnest(i.indkey) k
                       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k)
          from pg_index i
         where i.indrelid = ?::regclass and i.indisunique and i.indpred is null and i.indexprs is null""")) {
      ps.setString(1, table.quotedName());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Set<String> columns = Set.of((String[]) rs.getArray(1).getArray());
          if (columns.equals(Set.copyOf(table.naturalKey()))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String ddlHint(RecordTransformer transformer) {
    List<String> columns = new ArrayList<>();
    for (TargetColumn column : transformer.columns()) {
      columns.add(
          column.name() + " " + column.type().sqlName() + (column.required() ? " not null" : ""));
    }
    return String.join(", ", columns);
  }

  @Override
  public BatchSink open(
      PipelineRequest request,
      RecordTransformer transformer,
      int partitionIndex,
      String workflowId,
      String runId) {
    TargetTable table =
        new TargetTable(request.targetTable(), transformer.columns(), request.naturalKey());
    return new PostgresBatchSink(
        database,
        table,
        transformer.ruleSet().name(),
        request.pipelineId(),
        partitionIndex,
        workflowId,
        runId);
  }

  @Override
  public void forgetCheckpointsOlderThan(Duration age) {
    try (Connection c = database.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "delete from pipeline_checkpoint where updated_at < now() - make_interval(secs => ?)")) {
      ps.setLong(1, age.toSeconds());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot clean up old checkpoints: " + e.getMessage(), e);
    }
  }
}
