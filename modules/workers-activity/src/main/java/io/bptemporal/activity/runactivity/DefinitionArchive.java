package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.json.ContractJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Every registry revision a run used, in the pipeline database ({@code
 * activity_definition_revision}): the registry itself keeps only the current revision, so a re-run
 * of revision 3 after the row moved to 5 is answered from here.
 */
public final class DefinitionArchive {
  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  private final DataSource database;

  public DefinitionArchive(DataSource database) {
    this.database = database;
  }

  public void remember(ActivityDefinition definition) {
    try (Connection c = database.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into activity_definition_revision (activity_id, version, definition) values (?, ?, ?::jsonb)"
                    + " on conflict (activity_id, version) do nothing")) {
      ps.setString(1, definition.activityId());
      ps.setLong(2, definition.version());
      ps.setString(3, JSON.writeValueAsString(definition));
      ps.executeUpdate();
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot archive revision "
              + definition.version()
              + " of "
              + definition.activityId()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public Optional<ActivityDefinition> find(String activityId, long version) {
    try (Connection c = database.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select definition::text from activity_definition_revision where activity_id = ? and version = ?")) {
      ps.setString(1, activityId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(JSON.readValue(rs.getString(1), ActivityDefinition.class))
            : Optional.empty();
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot read revision " + version + " of " + activityId + ": " + e.getMessage(), e);
    }
  }

  public List<Long> versions(String activityId) {
    try (Connection c = database.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select version from activity_definition_revision where activity_id = ? order by version")) {
      ps.setString(1, activityId);
      List<Long> versions = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          versions.add(rs.getLong(1));
        }
      }
      return versions;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot list revisions of " + activityId + ": " + e.getMessage(), e);
    }
  }
}
