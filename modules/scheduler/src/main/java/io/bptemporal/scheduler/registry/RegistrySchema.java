package io.bptemporal.scheduler.registry;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the registry database to the current schema with the Flyway migrations in {@code db/registry}. */
public final class RegistrySchema {
  private static final Logger log = LoggerFactory.getLogger(RegistrySchema.class);

  /**
   * Own history table name: if the registry tables ever share a database with another module's migrations,
   * the two histories must not mix.
   */
  public static final String HISTORY_TABLE = "registry_schema_history";

  private RegistrySchema() {
  }

  public static MigrateResult migrate(DataSource dataSource) {
    MigrateResult result = flyway(dataSource).migrate();
    if (result.migrationsExecuted > 0) {
      log.info("registry schema migrated to version {} ({} migration(s))", result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    return result;
  }

  /** Migrations not applied yet; {@code scheduler plan} refuses to plan against an old schema. */
  public static int pending(DataSource dataSource) {
    return flyway(dataSource).info().pending().length;
  }

  private static Flyway flyway(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/registry")
        .table(HISTORY_TABLE)
        // On a cluster the scheduler starts beside the database and before CNPG has created the registry database:
        // wait for it (Flyway's own back-off, about a minute) instead of exiting into a restart loop.
        .connectRetries(8)
        .connectRetriesInterval(10)
        .load();
  }
}
