package io.bptemporal.activity;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.worker.ActivitySchema;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The dev stack's PostgreSQL for integration tests: an activity database per test class, migrated
 * like the worker does.
 */
public final class TestDatabases {
  public static final String PASSWORD = "pw";

  private TestDatabases() {}

  /**
   * Database {@code name} owned by role {@code name}, emptied (a stack given by the environment may
   * have kept it from an earlier run), migrated as the worker does it; returns a pool on it.
   */
  public static HikariDataSource activityDatabase(StackEndpoints stack, String name) {
    String url = stack.postgres().freshDatabase(name, name, PASSWORD);
    HikariDataSource pool =
        Databases.pool(new DatabaseSettings(url, name, PASSWORD, 4), "it-" + name);
    ActivitySchema.migrate(pool);
    return pool;
  }

  public static void execute(DataSource db, String... statements) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static long count(DataSource db, String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
