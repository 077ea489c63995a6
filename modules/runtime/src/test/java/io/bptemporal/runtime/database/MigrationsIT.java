package io.bptemporal.runtime.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one migration helper against the dev stack's real PostgreSQL: applies, is idempotent,
 * baselines only when told.
 */
@ExtendWith(DevStackExtension.class)
class MigrationsIT {
  private static final String LOCATION = "classpath:db/migrations-it";

  @Test
  void appliesPendingMigrationsOnceIntoItsOwnHistoryTable(StackEndpoints stack)
      throws SQLException {
    try (HikariDataSource db = freshDatabase(stack, "migrations_it_apply")) {
      Migrations migrations = new Migrations("it", LOCATION, "it_schema_history", false);
      assertThat(migrations.pending(db)).isEqualTo(2);
      assertThat(migrations.migrate(db).migrationsExecuted).isEqualTo(2);
      assertThat(migrations.migrate(db).migrationsExecuted)
          .as("a second start finds nothing to do")
          .isZero();
      assertThat(migrations.pending(db)).isZero();
      assertThat(query(db, "select count(*) from it_schema_history where success")).isEqualTo("2");
      assertThat(
              query(
                  db,
                  "select count(*) from information_schema.columns where table_name = 'migrations_it_notes'"))
          .isEqualTo("3");
    }
  }

  @Test
  void aDatabaseWithForeignTablesIsBaselinedOnlyWhenAskedAndStillRunsV1(StackEndpoints stack)
      throws SQLException {
    try (HikariDataSource db = freshDatabase(stack, "migrations_it_baseline")) {
      execute(db, "create table someone_elses (id int)");
      assertThatThrownBy(
              () -> new Migrations("it", LOCATION, "it_schema_history", false).migrate(db))
          .isInstanceOf(FlywayException.class)
          .hasMessageContaining("non-empty schema");

      assertThat(
              new Migrations("it", LOCATION, "it_schema_history", true)
                  .migrate(db)
                  .migrationsExecuted)
          .as("baselined at 0: V1 and V2 run")
          .isEqualTo(2);
      assertThat(query(db, "select count(*) from migrations_it_notes")).isEqualTo("0");
    }
  }

  private static HikariDataSource freshDatabase(StackEndpoints stack, String name)
      throws SQLException {
    String url = stack.postgres().freshDatabase(name, name, "pw");
    return Databases.pool(new DatabaseSettings(url, name, "pw", 2), "it-" + name);
  }

  private static void execute(HikariDataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String query(HikariDataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
