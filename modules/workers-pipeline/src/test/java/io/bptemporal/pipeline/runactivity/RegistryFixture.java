package io.bptemporal.pipeline.runactivity;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * The scheduler's activity registry as RunActivity meets it in production: the scheduler's own migration files
 * (read from modules/scheduler, so a change of its columns breaks this test instead of the worker), and a role
 * that may only SELECT from {@code activity_definition}.
 */
final class RegistryFixture implements AutoCloseable {
  static final String READER = "pipeline_registry_reader";
  static final Path MIGRATIONS = Path.of("..", "scheduler", "src", "main", "resources", "db", "registry");

  private final StackEndpoints stack;
  private final String database;
  final HikariDataSource reader;

  RegistryFixture(StackEndpoints stack, String database) {
    this.stack = stack;
    this.database = database;
    Path migrations = MIGRATIONS.toAbsolutePath().normalize();
    if (!Files.isDirectory(migrations)) {
      throw new IllegalStateException("the scheduler's registry migrations are not at " + migrations
          + "; RunActivity reads the table they create");
    }
    String url = stack.postgres().ensureDatabase(database, database, "pw");
    try (Connection c = stack.postgres().connect(database); Statement s = c.createStatement()) {
      s.execute("drop schema if exists public cascade");
      s.execute("create schema public authorization " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Flyway.configure().dataSource(url, database, "pw").locations("filesystem:" + migrations)
        .table("registry_schema_history").load().migrate();
    try (Connection c = stack.postgres().connect(database); Statement s = c.createStatement()) {
      s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + READER + "') then create role "
          + READER + " login password 'pw'; end if; end $$");
      s.execute("grant connect on database " + database + " to " + READER);
      s.execute("grant usage on schema public to " + READER);
      s.execute("grant select on activity_definition to " + READER);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    reader = Databases.pool(new DatabaseSettings(url, READER, "pw", 2), "it-registry-reader");
  }

  String url() {
    return stack.postgres().jdbcUrl(database);
  }

  /** Inserts or replaces a row as the scheduler's table stores it. */
  void put(String activityId, String inputJson, boolean paused) {
    sql("""
        insert into activity_definition (activity_id, namespace, workflow_type, task_queue, input, trigger,
                                         missed_run_policy, catch_up_window, paused, owner)
        values (?, 'pipelines', 'RunActivityWorkflow', 'pipelines-tq', ?::jsonb, '{"cron": ["0 2 * * *"]}'::jsonb,
                'COMPRESS', '6h', ?, 'team-data')
        on conflict (activity_id) do update set input = excluded.input, paused = excluded.paused""",
        activityId, inputJson, paused);
  }

  void sql(String sql, Object... parameters) {
    try (Connection c = stack.postgres().connect(database); PreparedStatement ps = c.prepareStatement(sql)) {
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
