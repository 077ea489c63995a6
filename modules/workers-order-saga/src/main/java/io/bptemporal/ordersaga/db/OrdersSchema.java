package io.bptemporal.ordersaga.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The orders database: its Flyway migrations ({@value #MIGRATIONS}, also the input of the build-time jOOQ
 * code generation in {@code io.bptemporal.ordersaga.db.schema}) and the jOOQ context the activities use.
 */
public final class OrdersSchema {
    public static final String MIGRATIONS = "classpath:db/migration/orders";

    static {
        // jOOQ logs an ASCII-art banner and a "tip of the day" on first use; a process's log is for operators.
        // Set before any jOOQ class initialises (this class is the only way in); an explicit -D still wins.
        for (String property : new String[] {"org.jooq.no-logo", "org.jooq.no-tips"}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, "true");
            }
        }
    }

    private OrdersSchema() {
    }

    /**
     * Brings the schema to the newest version. Safe with several replicas starting at once: Flyway holds a
     * PostgreSQL advisory lock while it migrates, so the others wait and then find nothing to do. An
     * unreachable database is retried for about two minutes, then the FlywayException ends the start.
     */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                // A new database has no history table yet; an existing one must never be silently baselined.
                .baselineOnMigrate(false)
                // At start-up the database may still be coming up (a pod restart next to a CNPG failover): wait for
                // it with backoff (at most 10 s apart, about two minutes in all) before giving up.
                .connectRetries(8)
                .connectRetriesInterval(10)
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }

    public static DSLContext dsl(DataSource dataSource) {
        // No "execute logging": statements carry customer and order IDs, which belong in traces, not logs.
        return DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    }
}
