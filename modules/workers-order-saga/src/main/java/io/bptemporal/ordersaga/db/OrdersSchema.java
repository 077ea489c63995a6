package io.bptemporal.ordersaga.db;

import io.bptemporal.runtime.database.Migrations;
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

  private OrdersSchema() {}

  /**
   * Brings the schema to the newest version (the platform's one migration helper and retry policy).
   */
  public static MigrateResult migrate(DataSource dataSource) {
    // Flyway's default history table: the orders database had it before the helper existed.
    return new Migrations("orders", MIGRATIONS, "flyway_schema_history", false).migrate(dataSource);
  }

  public static DSLContext dsl(DataSource dataSource) {
    // No "execute logging": statements carry customer and order IDs, which belong in traces, not
    // logs.
    return DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
  }
}
