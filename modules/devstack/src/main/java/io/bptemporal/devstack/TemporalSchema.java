package io.bptemporal.devstack;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Prepares Temporal's two databases the way the umbrella chart does: CNPG creates the databases
 * (owned by a non-superuser role) and the {@code btree_gin} extension, then the schema Job runs the
 * server's SQL tool with {@code createDatabase: false} - {@code setup-schema -v 0.0} and {@code
 * update-schema}.
 */
final class TemporalSchema {
  static final String DEFAULT_DATABASE = "temporal";
  static final String VISIBILITY_DATABASE = "temporal_visibility";

  private TemporalSchema() {}

  static void install(DevStackConfig config, PostgresEndpoint postgres, String password) {
    String user = DevStackConfig.TEMPORAL_DB_USER;
    postgres.ensureDatabase(DEFAULT_DATABASE, user, password);
    postgres.ensureDatabase(VISIBILITY_DATABASE, user, password);
    // Visibility indexes need btree_gin; only a superuser may create it (in the cluster: the
    // Database object).
    try (Connection c = postgres.connect(VISIBILITY_DATABASE);
        Statement s = c.createStatement()) {
      s.execute("create extension if not exists btree_gin");
    } catch (SQLException e) {
      throw new DevStackException(
          "cannot create extension btree_gin in " + VISIBILITY_DATABASE + ": " + e.getMessage(), e);
    }

    Path sqlTool = config.tools().require(ToolLocator.Tool.TEMPORAL_SQL_TOOL);
    Map<String, String> env = Map.of("SQL_PASSWORD", password);
    Path log = config.workDir().resolve("logs").resolve("temporal-schema.log");
    for (var store :
        List.of(
            new String[] {DEFAULT_DATABASE, "postgresql/v12/temporal"},
            new String[] {VISIBILITY_DATABASE, "postgresql/v12/visibility"})) {
      List<String> base =
          List.of(
              sqlTool.toString(),
              "--plugin",
              "postgres12",
              "--endpoint",
              postgres.host(),
              "--port",
              Integer.toString(postgres.port()),
              "--user",
              user,
              "--database",
              store[0]);
      ManagedProcess.runToCompletion(
          "temporal-sql-tool setup-schema (" + store[0] + ")",
          concat(base, List.of("setup-schema", "-v", "0.0")),
          env,
          log,
          Duration.ofMinutes(2));
      ManagedProcess.runToCompletion(
          "temporal-sql-tool update-schema (" + store[0] + ")",
          concat(base, List.of("update-schema", "--schema-name", store[1])),
          env,
          log,
          Duration.ofMinutes(2));
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
