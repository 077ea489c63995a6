package io.bptemporal.pipeline.worker;

import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pipeline database's schema: Flyway migrations in {@value #MIGRATIONS}, applied at worker start-up. */
public final class PipelineSchema {
  private static final Logger log = LoggerFactory.getLogger(PipelineSchema.class);

  public static final String MIGRATIONS = "classpath:db/migration/pipeline";
  /**
   * Own history table: the registry (scheduler) keeps {@code registry_schema_history}, so the two can share one
   * database (a small installation, {@code make run}) without mixing their migrations.
   */
  public static final String HISTORY_TABLE = "pipeline_schema_history";

  private PipelineSchema() {
  }

  /**
   * Brings the schema to the newest version. Several replicas starting at once are safe: Flyway holds a
   * PostgreSQL advisory lock while it migrates, the others wait and find nothing to do.
   */
  public static MigrateResult migrate(DataSource dataSource) {
    MigrateResult result = Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .table(HISTORY_TABLE)
        // The pipeline database also holds the target tables of pipelines, which their owners may create before
        // the worker first starts: a schema with tables but no history of ours is normal here. Baselining at 0
        // still runs V1; if one of our tables already existed, V1 fails loudly instead of being skipped.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .validateMigrationNaming(true)
        .load()
        .migrate();
    if (result.migrationsExecuted > 0) {
      log.info("pipeline schema migrated to version {} ({} migration(s))", result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    return result;
  }

  /**
   * {@link #migrate} retried while the database is not reachable yet (it often starts next to the worker), for at
   * most {@code patience}; a migration that fails for another reason fails at once.
   */
  static MigrateResult migrateWhenReachable(DataSource dataSource, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return migrate(dataSource);
      } catch (FlywayException e) {
        boolean unreachable = e.getMessage() != null && e.getMessage().contains("Unable to obtain connection");
        if (!unreachable || System.nanoTime() > deadline) {
          throw e;
        }
        log.warn("pipeline database not reachable yet ({}); retrying the migration in 2 s", firstLine(e.getMessage()));
        Thread.sleep(2_000);
      }
    }
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
