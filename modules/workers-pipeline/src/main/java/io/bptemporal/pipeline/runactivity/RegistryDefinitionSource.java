package io.bptemporal.pipeline.runactivity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.pipeline.PipelineSetupException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the scheduler's {@code activity_definition} table (modules/scheduler, migration
 * {@code db/registry/V1__activity_registry.sql}) with a role that only needs SELECT on it. The table keeps the
 * policies in columns of their own ({@code overlap_policy}, {@code missed_run_policy}, {@code catch_up_window},
 * {@code pause_on_failure}); this puts them back under {@code policies} as the contract's document has them.
 */
public final class RegistryDefinitionSource implements DefinitionSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SELECT = """
      select activity_id, version, schema_version, description, namespace, workflow_type, task_queue,
             input::text, trigger::text, overlap_policy, missed_run_policy, catch_up_window, pause_on_failure,
             enabled, paused, owner, notes
        from activity_definition where activity_id = ?""";

  private final DataSource registry;
  private final String where;

  public RegistryDefinitionSource(DataSource registry, String where) {
    this.registry = registry;
    this.where = where;
  }

  @Override
  public String describe() {
    return "the activity registry at " + where;
  }

  @Override
  public Optional<ObjectNode> current(String activityId) {
    try (Connection c = registry.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setString(1, activityId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("schema_version", rs.getString("schema_version"));
        document.put("activity_id", rs.getString("activity_id"));
        document.put("version", rs.getLong("version"));
        document.put("description", rs.getString("description"));
        document.put("namespace", rs.getString("namespace"));
        document.put("workflow_type", rs.getString("workflow_type"));
        document.put("task_queue", rs.getString("task_queue"));
        document.set("input", json(rs.getString("input")));
        document.set("trigger", json(rs.getString("trigger")));
        ObjectNode policies = document.putObject("policies");
        policies.put("overlap", rs.getString("overlap_policy"));
        policies.put("missed_run", rs.getString("missed_run_policy"));
        policies.put("catch_up_window", rs.getString("catch_up_window"));
        policies.put("pause_on_failure", rs.getBoolean("pause_on_failure"));
        document.put("enabled", rs.getBoolean("enabled"));
        document.put("paused", rs.getBoolean("paused"));
        document.put("owner", rs.getString("owner"));
        document.put("notes", rs.getString("notes"));
        return Optional.of(document);
      }
    } catch (SQLException e) {
      String state = Optional.ofNullable(e.getSQLState()).orElse("");
      if (state.equals("42501") || state.startsWith("28")) {
        throw new PipelineSetupException("cannot read " + describe() + ": " + e.getMessage() + "; accepted: a role with"
            + " SELECT on activity_definition (REGISTRY_DB_USER)", e);
      }
      // 42P01 (no table yet: the scheduler migrates it at its start) and connection problems pass with a retry.
      throw new IllegalStateException("cannot read " + describe() + ": " + e.getMessage() + " (SQLSTATE " + state
          + "; retried)", e);
    }
  }

  private static JsonNode json(String text) throws SQLException {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("a registry column holds invalid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
