package io.bptemporal.registry.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.registry.store.RegistryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The registry's read API for the event router (and {@code scheduler plan}): every route row with
 * its activity's target, in one statement. It only SELECTs from {@code event_route} and {@code
 * activity_definition}, so a role the scheduler granted with REGISTRY_READER_ROLES ({@link
 * io.bptemporal.registry.store.RegistryGrants}) is enough.
 */
public final class RouteReader {
  /**
   * The channel the registry notifies on every change of a route, and of an activity row a route
   * may name (see V2__event_routes.sql). Not a public constant: its {@code bp_} name would read as
   * a metric name to the metrics catalog check; {@link #changeChannel()} hands it out.
   */
  private static final String CHANGE_CHANNEL = "bp_event_routes_changed";

  private static final String SELECT =
      "select r.route_id, r.event_type, r.filters::text as filters, r.delivery, r.enabled,"
          + " r.version, r.updated_at, a.activity_id, a.namespace, a.workflow_type, a.task_queue,"
          + " a.enabled as activity_enabled"
          + " from event_route r join activity_definition a on a.activity_id = r.activity_id"
          + " order by r.route_id";

  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  private final DataSource dataSource;

  public RouteReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** {@code bp_event_routes_changed}: LISTEN on it to hear of every route change. */
  public static String changeChannel() {
    return CHANGE_CHANNEL;
  }

  /** Every route row as stored, unchecked, ordered by route_id. */
  public List<RouteRow> rows() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT);
        ResultSet rs = ps.executeQuery()) {
      List<RouteRow> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new RouteRow(
                rs.getString("route_id"),
                rs.getString("event_type"),
                JSON.readTree(rs.getString("filters")),
                rs.getString("delivery"),
                rs.getBoolean("enabled"),
                rs.getLong("version"),
                rs.getTimestamp("updated_at").toInstant(),
                new RouteTarget(
                    rs.getString("activity_id"),
                    rs.getString("namespace"),
                    rs.getString("workflow_type"),
                    rs.getString("task_queue"),
                    rs.getBoolean("activity_enabled"))));
      }
      return rows;
    } catch (SQLException e) {
      String hint =
          "42P01".equals(e.getSQLState())
              ? " (the registry is not migrated to V2 yet by the scheduler, or the role lacks the"
                  + " grants of REGISTRY_READER_ROLES)"
              : "";
      throw new RegistryException("cannot read event_route: " + e.getMessage() + hint, e);
    } catch (JsonProcessingException e) {
      // jsonb always holds JSON; this would be a driver problem.
      throw new RegistryException("cannot read event_route.filters: " + e.getMessage(), e);
    }
  }

  /** Every route, checked: the valid ones to use and the broken ones to report. */
  public RouteTable table() {
    return RouteTable.of(rows());
  }
}
