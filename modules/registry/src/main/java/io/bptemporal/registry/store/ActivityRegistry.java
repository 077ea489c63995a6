package io.bptemporal.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.json.ContractJson;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The activity registry tables over plain JDBC, as their owner (the scheduler) uses them: the
 * definition rows it reads and seeds, and the status rows it writes back. Readers that only load
 * one definition use {@link RegistryReader}. Everything is read in one statement per table, so a
 * pass over 1,000 rows costs two queries.
 */
public final class ActivityRegistry {
  /** The channel the table's trigger notifies on every change (see V1__activity_registry.sql). */
  public static final String CHANGE_CHANNEL = "activity_registry_changed";

  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  private final DataSource dataSource;

  public ActivityRegistry(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Every definition row, ordered by activity_id. */
  public List<RegistryRow> rows() {
    String sql = RegistryRow.SELECT + " order by activity_id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<RegistryRow> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(RegistryRow.read(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw new RegistryException("cannot read activity_definition: " + e.getMessage(), e);
    }
  }

  /** The status of every row that has one, by activity_id. */
  public Map<String, RowStatus> statuses() {
    String sql =
        "select activity_id, status, message, definition_version, spec_hash, observed_fingerprint,"
            + " last_reconciled_at, schedule_written_at, missed_runs_checked_through from activity_schedule_status";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      Map<String, RowStatus> statuses = new HashMap<>();
      while (rs.next()) {
        RowStatus status =
            new RowStatus(
                rs.getString("activity_id"),
                ReconcileStatus.valueOf(rs.getString("status")),
                rs.getString("message"),
                rs.getLong("definition_version"),
                Optional.ofNullable(rs.getString("spec_hash")),
                Optional.ofNullable(rs.getString("observed_fingerprint")),
                rs.getTimestamp("last_reconciled_at").toInstant(),
                instant(rs.getTimestamp("schedule_written_at")),
                instant(rs.getTimestamp("missed_runs_checked_through")));
        statuses.put(status.activityId(), status);
      }
      return statuses;
    } catch (SQLException e) {
      throw new RegistryException("cannot read activity_schedule_status: " + e.getMessage(), e);
    }
  }

  /**
   * Writes these statuses. A status whose definition row was deleted in the meantime is dropped
   * (the row's schedule is removed by the next pass), instead of failing the whole batch on the
   * foreign key.
   */
  public void saveStatuses(Collection<RowStatus> statuses) {
    if (statuses.isEmpty()) {
      return;
    }
    String sql =
        "insert into activity_schedule_status (activity_id, status, message, definition_version, spec_hash,"
            + " observed_fingerprint, last_reconciled_at, schedule_written_at, missed_runs_checked_through)"
            + " select ?, ?, ?, ?, ?, ?, ?, ?, ? where exists (select 1 from activity_definition where activity_id = ?)"
            + " on conflict (activity_id) do update set status = excluded.status, message = excluded.message,"
            + " definition_version = excluded.definition_version, spec_hash = excluded.spec_hash,"
            + " observed_fingerprint = excluded.observed_fingerprint, last_reconciled_at = excluded.last_reconciled_at,"
            + " schedule_written_at = excluded.schedule_written_at, missed_runs_checked_through = excluded.missed_runs_checked_through";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (RowStatus s : statuses) {
        ps.setString(1, s.activityId());
        ps.setString(2, s.status().name());
        ps.setString(3, s.message());
        ps.setLong(4, s.definitionVersion());
        ps.setString(5, s.specHash().orElse(null));
        ps.setString(6, s.observedFingerprint().orElse(null));
        ps.setTimestamp(7, Timestamp.from(s.lastReconciledAt()));
        setInstant(ps, 8, s.scheduleWrittenAt());
        setInstant(ps, 9, s.missedRunsCheckedThrough());
        ps.setString(10, s.activityId());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new RegistryException("cannot write activity_schedule_status: " + e.getMessage(), e);
    }
  }

  /** Sets last_reconciled_at of rows whose status did not change, in one statement. */
  public void markReconciled(Collection<String> activityIds, Instant at) {
    if (activityIds.isEmpty()) {
      return;
    }
    String sql =
        "update activity_schedule_status set last_reconciled_at = ? where activity_id = any (?)";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Array ids = c.createArrayOf("text", activityIds.toArray());
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setArray(2, ids);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new RegistryException("cannot write activity_schedule_status: " + e.getMessage(), e);
    }
  }

  /** Inserts or replaces the row of this definition (its version is the definition's). */
  public void put(ActivityDefinition definition) {
    write(
        definition,
        "on conflict (activity_id) do update set version = excluded.version,"
            + " schema_version = excluded.schema_version, description = excluded.description,"
            + " namespace = excluded.namespace, workflow_type = excluded.workflow_type, task_queue = excluded.task_queue,"
            + " input = excluded.input, trigger = excluded.trigger, overlap_policy = excluded.overlap_policy,"
            + " missed_run_policy = excluded.missed_run_policy, catch_up_window = excluded.catch_up_window,"
            + " pause_on_failure = excluded.pause_on_failure, enabled = excluded.enabled, paused = excluded.paused,"
            + " owner = excluded.owner, notes = excluded.notes");
  }

  /**
   * Inserts the row unless one with its activity_id exists (seeds never overwrite an operator's
   * edits).
   */
  public boolean putIfAbsent(ActivityDefinition definition) {
    return write(definition, "on conflict (activity_id) do nothing") == 1;
  }

  /**
   * Inserts an {@code event_route} row unless one with its route_id exists (seeds never overwrite
   * an operator's edits). The row is stored as given; the router and {@code scheduler plan} check
   * it.
   *
   * @param filters the {@code filters} column, a JSON array
   * @return whether the row was inserted
   */
  public boolean putRouteIfAbsent(
      String routeId, String activityId, String eventType, JsonNode filters, String delivery) {
    String sql =
        "insert into event_route (route_id, activity_id, event_type, filters, delivery)"
            + " values (?, ?, ?, ?::jsonb, ?) on conflict (route_id) do nothing";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, routeId);
      ps.setString(2, activityId);
      ps.setString(3, eventType);
      ps.setString(4, JSON.writeValueAsString(filters));
      ps.setString(5, delivery);
      return ps.executeUpdate() == 1;
    } catch (SQLException | JsonProcessingException e) {
      throw new RegistryException(
          "cannot write event_route row '" + routeId + "': " + e.getMessage(), e);
    }
  }

  private int write(ActivityDefinition d, String onConflict) {
    String sql =
        "insert into activity_definition (activity_id, version, schema_version, description, namespace,"
            + " workflow_type, task_queue, input, trigger, overlap_policy, missed_run_policy, catch_up_window,"
            + " pause_on_failure, enabled, paused, owner, notes) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?,"
            + " ?, ?, ?, ?, ?) "
            + onConflict;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, d.activityId());
      ps.setLong(2, d.version());
      ps.setString(3, d.schemaVersion());
      ps.setString(4, d.description());
      ps.setString(5, d.namespace());
      ps.setString(6, d.workflowType());
      ps.setString(7, d.taskQueue());
      ps.setString(8, JSON.writeValueAsString(d.input()));
      ps.setString(9, JSON.writeValueAsString(d.trigger()));
      ps.setString(10, d.policies().overlap().name());
      ps.setString(11, d.policies().missedRun().name());
      ps.setString(12, DurationText.format(d.policies().catchUpWindow()));
      ps.setBoolean(13, d.policies().pauseOnFailure());
      ps.setBoolean(14, d.enabled());
      ps.setBoolean(15, d.paused());
      ps.setString(16, d.owner());
      ps.setString(17, d.notes());
      return ps.executeUpdate();
    } catch (SQLException | JsonProcessingException e) {
      throw new RegistryException(
          "cannot write activity_definition row '" + d.activityId() + "': " + e.getMessage(), e);
    }
  }

  private static Optional<Instant> instant(Timestamp timestamp) {
    return timestamp == null ? Optional.empty() : Optional.of(timestamp.toInstant());
  }

  private static void setInstant(PreparedStatement ps, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setTimestamp(index, Timestamp.from(value.get()));
    } else {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }
}
