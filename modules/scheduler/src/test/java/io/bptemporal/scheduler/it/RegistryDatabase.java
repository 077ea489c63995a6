package io.bptemporal.scheduler.it;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.registry.store.RowStatus;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A registry database of its own for one test class, migrated, on the dev stack's PostgreSQL. */
final class RegistryDatabase implements AutoCloseable {
  final String name;
  final DatabaseSettings settings;
  final HikariDataSource pool;
  final ActivityRegistry registry;

  RegistryDatabase(StackEndpoints stack, String name) {
    this.name = name;
    String url = stack.postgres().ensureDatabase(name, name, "secret-" + name);
    this.settings = new DatabaseSettings(url, name, "secret-" + name, 4);
    this.pool = Databases.pool(settings, "it-" + name);
    RegistrySchema.migrate(pool);
    this.registry = new ActivityRegistry(pool);
    sql("truncate activity_definition cascade");
  }

  void sql(String statement) {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }

  Map<String, RowStatus> statuses() {
    return registry.statuses();
  }

  RowStatus status(String activityId) {
    RowStatus status = registry.statuses().get(activityId);
    if (status == null) {
      throw new AssertionError(
          "no status row for " + activityId + "; statuses: " + registry.statuses().keySet());
    }
    return status;
  }

  @Override
  public void close() {
    pool.close();
  }
}
