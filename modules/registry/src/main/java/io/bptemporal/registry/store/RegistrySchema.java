package io.bptemporal.registry.store;

import io.bptemporal.runtime.database.Migrations;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the registry database to the current schema with the Flyway migrations in {@code
 * db/registry}.
 */
public final class RegistrySchema {
  /**
   * Own history table name: if the registry tables ever share a database with another module's
   * migrations, the two histories must not mix.
   */
  public static final String HISTORY_TABLE = "registry_schema_history";

  /** The registry's tables; readers ({@link RegistryGrants}) get SELECT on exactly these. */
  public static final List<String> TABLES =
      List.of("activity_definition", "activity_schedule_status", "event_route");

  private static final Migrations MIGRATIONS =
      new Migrations("registry", "classpath:db/registry", HISTORY_TABLE, false);

  private RegistrySchema() {}

  public static MigrateResult migrate(DataSource dataSource) {
    return MIGRATIONS.migrate(dataSource);
  }

  /** Migrations not applied yet; {@code scheduler plan} refuses to plan against an old schema. */
  public static int pending(DataSource dataSource) {
    return MIGRATIONS.pending(dataSource);
  }
}
