package io.bptemporal.activity.runactivity;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The activity registry as RunActivity meets it in production: migrated by modules/registry's own
 * migrations (so a change of its columns breaks this test instead of the worker), and a reader role
 * granted exactly what the scheduler grants REGISTRY_READER_ROLES (SELECT, nothing else).
 */
public final class RegistryFixture implements AutoCloseable {
  public static final String READER = "activity_registry_reader";

  private final StackEndpoints stack;
  private final String database;
  public final HikariDataSource reader;

  public RegistryFixture(StackEndpoints stack, String database) {
    this.stack = stack;
    this.database = database;
    String url = stack.postgres().freshDatabase(database, database, "pw");
    stack.postgres().ensureLoginRole(READER, "pw");
    try (HikariDataSource owner =
        Databases.pool(new DatabaseSettings(url, database, "pw", 2), "it-registry-owner")) {
      RegistrySchema.migrate(owner);
      RegistryGrants.grantRead(owner, List.of(READER));
    }
    reader = Databases.pool(new DatabaseSettings(url, READER, "pw", 2), "it-registry-reader");
  }

  public String url() {
    return stack.postgres().jdbcUrl(database);
  }

  /** Inserts or replaces a row as the scheduler's table stores it. */
  public void put(String activityId, String inputJson, boolean paused) {
    sql(
        """
        insert into activity_definition (activity_id, namespace, workflow_type, task_queue, input, trigger,
                                         missed_run_policy, catch_up_window, paused, owner)
        values (?, 'pipelines', 'RunActivityWorkflow', 'activities-tq', ?::jsonb, '{"cron": ["0 2 * * *"]}'::jsonb,
                'COMPRESS', '6h', ?, 'team-data')
        on conflict (activity_id) do update set input = excluded.input, paused = excluded.paused""",
        activityId,
        inputJson,
        paused);
  }

  public void sql(String sql, Object... parameters) {
    try (Connection c = stack.postgres().connect(database);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      ps.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
