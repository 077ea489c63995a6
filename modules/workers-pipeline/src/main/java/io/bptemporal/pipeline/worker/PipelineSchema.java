package io.bptemporal.pipeline.worker;

import io.bptemporal.runtime.database.Migrations;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The pipeline database's schema: Flyway migrations in {@value #MIGRATIONS}, applied at worker
 * start-up.
 */
public final class PipelineSchema {
  public static final String MIGRATIONS = "classpath:db/migration/pipeline";

  /**
   * Own history table: the registry (scheduler) keeps {@code registry_schema_history}, so the two
   * can share one database (a small installation, {@code make run}) without mixing their
   * migrations.
   */
  public static final String HISTORY_TABLE = "pipeline_schema_history";

  private PipelineSchema() {}

  /**
   * Brings the schema to the newest version. The pipeline database also holds the target tables of
   * pipelines, which their owners may create before the worker first starts: a schema with tables
   * but no history of ours is normal here, so it is baselined at 0 (V1 still runs; if one of our
   * tables already existed, V1 fails loudly).
   */
  public static MigrateResult migrate(DataSource dataSource) {
    return new Migrations("pipeline", MIGRATIONS, HISTORY_TABLE, true).migrate(dataSource);
  }
}
