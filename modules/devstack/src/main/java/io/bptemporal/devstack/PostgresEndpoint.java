package io.bptemporal.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server reachable over TCP, with an account allowed to create roles and databases.
 * Tests use it to create the application databases (orders, pipeline, registry) they need.
 */
public record PostgresEndpoint(String host, int port, String adminUser, String adminPassword) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
  }

  /**
   * Creates {@code database} owned by {@code owner} (a login role with {@code password}) unless it
   * exists, as CNPG's Database object does in the cluster. Returns the JDBC URL.
   */
  public String ensureDatabase(String database, String owner, String password) {
    requireIdentifier("database", database);
    requireIdentifier("owner", owner);
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      if (!exists(c, "select 1 from pg_roles where rolname = ?", owner)) {
        // Role names and passwords cannot be bind parameters in DDL; both are validated or quoted
        // here.
        s.execute("create role " + owner + " login password '" + password.replace("'", "''") + "'");
      }
      if (!exists(c, "select 1 from pg_database where datname = ?", database)) {
        s.execute("create database " + database + " owner " + owner);
      }
    } catch (SQLException e) {
      throw new DevStackException(
          "cannot create database " + database + " on " + host + ":" + port + ": " + e.getMessage(),
          e);
    }
    return jdbcUrl(database);
  }

  /**
   * {@link #ensureDatabase}, then an empty {@code public} schema owned by {@code owner}: a test's
   * database starts empty even on a stack given by the environment that kept it from an earlier
   * run. Returns the JDBC URL.
   */
  public String freshDatabase(String database, String owner, String password) {
    String url = ensureDatabase(database, owner, password);
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists public cascade");
      s.execute("create schema public authorization " + owner);
    } catch (SQLException e) {
      throw new DevStackException(
          "cannot empty database " + database + " on " + host + ":" + port + ": " + e.getMessage(),
          e);
    }
    return url;
  }

  /**
   * Creates a login role with {@code password} unless it exists (then its password is left alone),
   * for a role that owns no database, e.g. a read-only reader another process grants privileges to.
   */
  public void ensureLoginRole(String role, String password) {
    requireIdentifier("role", role);
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      if (!exists(c, "select 1 from pg_roles where rolname = ?", role)) {
        s.execute("create role " + role + " login password '" + password.replace("'", "''") + "'");
      }
    } catch (SQLException e) {
      throw new DevStackException(
          "cannot create role " + role + " on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(Connection c, String query, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void requireIdentifier(String what, String value) {
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' is not a plain PostgreSQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)");
    }
  }
}
