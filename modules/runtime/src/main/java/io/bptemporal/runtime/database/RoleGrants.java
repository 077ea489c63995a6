package io.bptemporal.runtime.database;

import io.bptemporal.observability.config.Environment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Narrow privileges on a process's own tables for other processes' roles, granted by the owner
 * after every migration (idempotent: GRANT of a privilege a role has changes nothing). Example: a
 * worker grants the outbox relay's role {@code SELECT} on its outbox and {@code UPDATE} of only the
 * published marker (OUTBOX_RELAY_ROLES, docs/event-router.md#egress-the-outbox-relay). Creating the
 * roles and their passwords is the database administrator's (or the chart's) job: a role that does
 * not exist is an error naming it and the variable that lists it.
 */
public final class RoleGrants {
  /**
   * Role names accepted: plain lower-case SQL identifiers, which need no quoting and mean the same
   * quoted or not.
   */
  public static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public static final String ACCEPTED =
      "lower-case SQL identifiers (a-z, 0-9, _; not starting with a digit; at most 63"
          + " characters)";

  /** A privilege this class grants: {@code select on t} or {@code update (c) on t}. */
  private static final Pattern PRIVILEGE =
      Pattern.compile("(select|update \\([a-z_][a-z0-9_]*\\)) on [a-z_][a-z0-9_]*");

  private RoleGrants() {}

  /**
   * Reads a comma-separated role list from {@code variable} (unset or empty: no roles); a malformed
   * name is a problem recorded on {@code env}, naming the variable.
   */
  public static List<String> fromEnvironment(Environment env, String variable, String example) {
    Optional<String> text = env.optional(variable);
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> roles =
        Arrays.stream(text.get().split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    List<String> bad = roles.stream().filter(r -> !ROLE_NAME.matcher(r).matches()).toList();
    if (!bad.isEmpty()) {
      env.problem(
          variable
              + "='"
              + text.get()
              + "' is not accepted ("
              + bad
              + "): use a comma-separated list of role names, "
              + ACCEPTED
              + ", e.g. "
              + example);
      return List.of();
    }
    return roles;
  }

  /**
   * Grants {@code USAGE} on the current schema and each of {@code privileges} ({@code select on
   * <table>} or {@code update (<column>) on <table>}) to each role.
   *
   * @param variable the variable that listed the roles, named in errors
   * @throws IllegalArgumentException for a malformed role name or privilege (a programming error)
   * @throws IllegalStateException for a role that does not exist or a grant the database refused
   */
  public static void grant(
      DataSource dataSource, String variable, List<String> roles, List<String> privileges) {
    List<String> malformed = roles.stream().filter(r -> !ROLE_NAME.matcher(r).matches()).toList();
    if (!malformed.isEmpty()) {
      throw new IllegalArgumentException(
          variable + ": role name(s) " + malformed + " not accepted: use " + ACCEPTED);
    }
    List<String> badPrivileges =
        privileges.stream().filter(p -> !PRIVILEGE.matcher(p).matches()).toList();
    if (!badPrivileges.isEmpty()) {
      throw new IllegalArgumentException("privileges " + badPrivileges + " are not grantable here");
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
        throw new IllegalStateException(
            "cannot grant "
                + privileges
                + ": role(s) "
                + missing
                + " do not exist in this PostgreSQL; create them (CREATE ROLE ... LOGIN) or remove them"
                + " from "
                + variable);
      }
      try (Statement s = c.createStatement()) {
        String schema;
        try (ResultSet rs = s.executeQuery("select current_schema()")) {
          rs.next();
          schema = rs.getString(1).replace("\"", "\"\"");
        }
        for (String role : roles) {
          // Role names and privileges are checked against fixed patterns above.
          s.execute("grant usage on schema \"" + schema + "\" to \"" + role + "\"");
          for (String privilege : privileges) {
            s.execute("grant " + privilege + " to \"" + role + "\"");
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot grant " + privileges + " to " + roles + " (" + variable + "): " + e.getMessage(),
          e);
    }
  }
}
