package io.bptemporal.pipeline;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.pipeline.worker.PipelineSchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The dev stack's PostgreSQL for integration tests: a database per test class, migrated like the
 * worker does.
 */
public final class TestDatabases {
  public static final String PASSWORD = "pw";

  private TestDatabases() {}

  /**
   * Database {@code name} owned by role {@code name}, emptied (a stack given by the environment may
   * have kept it from an earlier run), migrated as the worker does it; returns a pool on it.
   */
  public static HikariDataSource pipelineDatabase(StackEndpoints stack, String name) {
    String url = stack.postgres().freshDatabase(name, name, PASSWORD);
    HikariDataSource pool =
        Databases.pool(
            new DatabaseSettings(url + "?reWriteBatchedInserts=true", name, PASSWORD, 6),
            "it-" + name);
    PipelineSchema.migrate(pool);
    return pool;
  }

  public static void execute(javax.sql.DataSource db, String... statements) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static long count(javax.sql.DataSource db, String sql) {
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
