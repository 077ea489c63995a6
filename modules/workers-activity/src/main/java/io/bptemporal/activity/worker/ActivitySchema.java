package io.bptemporal.activity.worker;

import io.bptemporal.runtime.database.Migrations;
import io.bptemporal.runtime.database.RoleGrants;
import java.util.List;
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

  /**
   * The roles of the outbox relay (the event router's {@code RELAY_ACTIVITY_DB_USER}), granted
   * after every migration.
   */
  public static final String OUTBOX_RELAY_ROLES = "OUTBOX_RELAY_ROLES";

  /**
   * What the relay may do here, nothing more: read the outbox and set its published marker
   * (docs/event-router.md#egress-the-outbox-relay).
   */
  public static final List<String> OUTBOX_RELAY_PRIVILEGES =
      List.of("select on task_outbox", "update (published_at) on task_outbox");

  private ActivitySchema() {}

  /**
   * Brings the schema to the newest version; a database with tables but no history of ours is
   * refused, not baselined.
   */
  public static MigrateResult migrate(DataSource dataSource) {
    return new Migrations("activity", MIGRATIONS, HISTORY_TABLE, false).migrate(dataSource);
  }

  /**
   * Grants each of {@code roles} (OUTBOX_RELAY_ROLES) {@link #OUTBOX_RELAY_PRIVILEGES}; idempotent.
   *
   * @throws IllegalStateException naming a role that does not exist
   */
  public static void grantOutboxRelay(DataSource dataSource, List<String> roles) {
    RoleGrants.grant(dataSource, OUTBOX_RELAY_ROLES, roles, OUTBOX_RELAY_PRIVILEGES);
  }
}
