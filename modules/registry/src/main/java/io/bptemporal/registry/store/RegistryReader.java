package io.bptemporal.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The registry's read API for processes that do not own it (RunActivity): one definition row by
 * activity id. It only ever SELECTs from {@code activity_definition}, so a role the scheduler
 * granted with REGISTRY_READER_ROLES ({@link RegistryGrants}) is enough.
 */
public final class RegistryReader {
  private static final String BY_ID = RegistryRow.SELECT + " where activity_id = ?";

  private final DataSource dataSource;

  public RegistryReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The current row of this activity, unchecked (the registry stores rows that break the contract
   * so that the scheduler can report them), or empty when there is none.
   *
   * @throws RegistryException when the table cannot be read; {@link
   *     RegistryException#accessDenied()} tells a refused role from a passing problem
   */
  public Optional<RegistryRow> definition(String activityId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(BY_ID)) {
      ps.setString(1, activityId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(RegistryRow.read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      // A role without USAGE on the registry's schema does not see the table at all: PostgreSQL
      // answers 42P01.
      String hint =
          "42P01".equals(e.getSQLState())
              ? " (not migrated yet by the scheduler, or the role lacks the"
                  + " grants of REGISTRY_READER_ROLES)"
              : "";
      throw new RegistryException(
          "cannot read activity_definition row '" + activityId + "': " + e.getMessage() + hint, e);
    }
  }
}
