package io.bptemporal.ordersaga.db;

import io.bptemporal.runtime.database.Migrations;
import io.bptemporal.runtime.database.RoleGrants;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The orders database: its Flyway migrations ({@value #MIGRATIONS}, also the input of the
 * build-time jOOQ code generation in {@code io.bptemporal.ordersaga.db.schema}) and the jOOQ
 * context the activities use.
 */
public final class OrdersSchema {
  public static final String MIGRATIONS = "classpath:db/migration/orders";

  static {
    // jOOQ logs an ASCII-art banner and a "tip of the day" on first use; a process's log is for
    // operators.
    // Set before any jOOQ class initialises (this class is the only way in); an explicit -D still
    // wins.
    for (String property : new String[] {"org.jooq.no-logo", "org.jooq.no-tips"}) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, "true");
      }
    }
  }

  /**
   * The roles of the outbox relay (the event router's {@code RELAY_ORDERS_DB_USER}), granted after
   * every migration.
   */
  public static final String OUTBOX_RELAY_ROLES = "OUTBOX_RELAY_ROLES";

  /**
   * What the relay may do here, nothing more: read the notification outbox and set its delivered
   * marker (docs/event-router.md#egress-the-outbox-relay).
   */
  public static final List<String> OUTBOX_RELAY_PRIVILEGES =
      List.of("select on notification_outbox", "update (delivered_at) on notification_outbox");

  private OrdersSchema() {}

  /**
   * Brings the schema to the newest version (the platform's one migration helper and retry policy).
   */
  public static MigrateResult migrate(DataSource dataSource) {
    // Flyway's default history table: the orders database had it before the helper existed.
    return new Migrations("orders", MIGRATIONS, "flyway_schema_history", false).migrate(dataSource);
  }

  /**
   * Grants each of {@code roles} (OUTBOX_RELAY_ROLES) {@link #OUTBOX_RELAY_PRIVILEGES}; idempotent.
   *
   * @throws IllegalStateException naming a role that does not exist
   */
  public static void grantOutboxRelay(DataSource dataSource, List<String> roles) {
    RoleGrants.grant(dataSource, OUTBOX_RELAY_ROLES, roles, OUTBOX_RELAY_PRIVILEGES);
  }

  public static DSLContext dsl(DataSource dataSource) {
    // No "execute logging": statements carry customer and order IDs, which belong in traces, not
    // logs.
    return DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
  }
}
