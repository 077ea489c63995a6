package io.bptemporal.runtime.database;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a process brings its database to the current schema: Flyway, with the one retry
 * policy of the platform. Several replicas starting at once are safe (Flyway holds a PostgreSQL
 * advisory lock while it migrates; the others wait, then find nothing to do).
 *
 * <p>Retry policy: a database that does not answer yet is retried with Flyway's own back-off
 * ({@code connectRetries}: 1, 2, 4, 8 s, then every 10 s; about a minute in all). A process on a
 * cluster starts beside its database, often before CNPG has created it, and a restart next to a
 * failover meets a primary that is still coming up; both end within that minute. Any other failure
 * (a migration that does not apply) fails at once with Flyway's message.
 *
 * @param name what the schema is called in logs, e.g. {@code orders}
 * @param location the migrations, e.g. {@code classpath:db/migration/orders}
 * @param historyTable Flyway's history table; each module keeps its own, so modules can share one
 *     database (a small installation, {@code make run}) without mixing their histories
 * @param baselineAtZero a database that already has tables but no history of ours is normal (the
 *     pipeline database also holds pipelines' target tables): baseline at version 0, which still
 *     runs V1. Elsewhere false: a database with foreign tables is never silently baselined
 */
public record Migrations(
    String name, String location, String historyTable, boolean baselineAtZero) {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  static final int CONNECT_RETRIES = 8;
  static final int CONNECT_RETRIES_INTERVAL_SECONDS = 10;

  /**
   * Applies what is pending and logs the version reached; throws Flyway's exception when it cannot.
   */
  public MigrateResult migrate(DataSource dataSource) {
    MigrateResult result = configure(dataSource).load().migrate();
    if (result.migrationsExecuted > 0) {
      log.info(
          "{} schema migrated to version {} ({} migration(s))",
          name,
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    return result;
  }

  /**
   * Migrations not applied yet (a command that must not run against an old schema checks this
   * first).
   */
  public int pending(DataSource dataSource) {
    return configure(dataSource).load().info().pending().length;
  }

  private FluentConfiguration configure(DataSource dataSource) {
    FluentConfiguration configuration =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(location)
            .table(historyTable)
            .validateMigrationNaming(true)
            .connectRetries(CONNECT_RETRIES)
            .connectRetriesInterval(CONNECT_RETRIES_INTERVAL_SECONDS)
            .baselineOnMigrate(baselineAtZero);
    return baselineAtZero ? configuration.baselineVersion("0") : configuration;
  }
}
