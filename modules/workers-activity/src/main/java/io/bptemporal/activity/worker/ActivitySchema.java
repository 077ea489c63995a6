package io.bptemporal.activity.worker;

import io.bptemporal.runtime.database.Migrations;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The activity database's schema: Flyway migrations in {@value #MIGRATIONS}, applied at worker
 * start-up.
 */
public final class ActivitySchema {
  public static final String MIGRATIONS = "classpath:db/migration/activity";

  /**
   * Own history table, so the activity tables can share a database with another module's without
   * mixing histories.
   */
  public static final String HISTORY_TABLE = "activity_schema_history";

  private ActivitySchema() {}

  /**
   * Brings the schema to the newest version; a database with tables but no history of ours is
   * refused, not baselined.
   */
  public static MigrateResult migrate(DataSource dataSource) {
    return new Migrations("activity", MIGRATIONS, HISTORY_TABLE, false).migrate(dataSource);
  }
}
