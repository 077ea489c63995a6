package io.bptemporal.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Read-only access to the registry for other processes' roles: the owner (the scheduler, which
 * migrates the tables) grants {@code SELECT} on the registry's tables and {@code USAGE} on their
 * schema. Run after every migration, so a table a later migration adds is granted too; GRANT of a
 * privilege a role already has changes nothing, which makes this idempotent. Nothing else is
 * granted: a reader can never change a definition or a status.
 */
public final class RegistryGrants {
  /**
   * Role names accepted: plain lower-case SQL identifiers, which need no quoting and mean the same
   * quoted or not.
   */
  public static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public static final String ACCEPTED =
      "lower-case SQL identifiers (a-z, 0-9, _; not starting with a digit; at"
          + " most 63 characters)";

  private RegistryGrants() {}

  /**
   * Grants read access to each role. Every role must exist: a missing one is an error naming it
   * (creating roles and their passwords is the database administrator's job, not the scheduler's).
   *
   * @throws IllegalArgumentException for a name that is not a plain SQL identifier
   * @throws RegistryException for a role that does not exist or a grant the database refused
   */
  public static void grantRead(DataSource dataSource, List<String> roles) {
    List<String> malformed =
        roles.stream().filter(role -> !ROLE_NAME.matcher(role).matches()).toList();
    if (!malformed.isEmpty()) {
      throw new IllegalArgumentException(
          "registry reader role name(s) " + malformed + " not accepted: use " + ACCEPTED);
    }
    if (roles.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      List<String> missing = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
        for (String role : roles) {
          ps.setString(1, role);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              missing.add(role);
            }
          }
        }
      }
      if (!missing.isEmpty()) {
        throw new RegistryException(
            "cannot grant read access to the registry: role(s) "
                + missing
                + " do not exist"
                + " in the registry's PostgreSQL; create them (CREATE ROLE ... LOGIN) or remove them from"
                + " REGISTRY_READER_ROLES",
            null);
      }
      try (Statement s = c.createStatement()) {
        String schema = currentSchema(s);
        for (String role : roles) {
          // Names are checked against ROLE_NAME above; quoting keeps them identifiers all the same.
          s.execute("grant usage on schema \"" + schema + "\" to \"" + role + "\"");
          s.execute(
              "grant select on "
                  + String.join(", ", RegistrySchema.TABLES)
                  + " to \""
                  + role
                  + "\"");
        }
      }
    } catch (SQLException e) {
      throw new RegistryException(
          "cannot grant read access on the registry to " + roles + ": " + e.getMessage(), e);
    }
  }

  private static String currentSchema(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("select current_schema()")) {
      rs.next();
      return rs.getString(1).replace("\"", "\"\"");
    }
  }
}
