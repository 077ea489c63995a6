package io.bptemporal.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry's tables on the dev stack's real PostgreSQL: the owner migrates and writes, a reader
 * role granted by {@link RegistryGrants} reads through {@link RegistryReader} and is refused every
 * write.
 */
@ExtendWith(DevStackExtension.class)
class RegistryStoreIT {
  private static final String DATABASE = "registry_store_it";
  private static final String READER = "registry_store_it_reader";

  private static StackEndpoints stack;
  private static HikariDataSource owner;
  private static HikariDataSource reader;

  @BeforeAll
  static void migrate(StackEndpoints endpoints) throws SQLException {
    stack = endpoints;
    String url = stack.postgres().freshDatabase(DATABASE, DATABASE, "pw");
    stack.postgres().ensureLoginRole(READER, "pw");
    owner = Databases.pool(new DatabaseSettings(url, DATABASE, "pw", 2), "it-registry-owner");
    RegistrySchema.migrate(owner);
    RegistryGrants.grantRead(owner, List.of(READER));
    reader = Databases.pool(new DatabaseSettings(url, READER, "pw", 2), "it-registry-reader");
  }

  @AfterAll
  static void close() {
    reader.close();
    owner.close();
  }

  @Test
  void theOwnersRowReadsBackThroughTheReadApiAsAValidDefinition() {
    var written =
        ContractValidator.validateDefinition(
                """
        {"schema_version": "1.0", "activity_id": "store-it-nightly", "version": 4, "namespace": "pipelines",
         "workflow_type": "RunActivityWorkflow", "task_queue": "activities-tq", "input": {"kind": "k"},
         "trigger": {"cron": ["0 2 * * *"]}, "policies": {"overlap": "SKIP", "missed_run": "COMPRESS",
         "catch_up_window": "6h", "pause_on_failure": false}, "owner": "team-data"}""")
            .orElseThrow();
    new ActivityRegistry(owner).put(written);

    RegistryRow row = new RegistryReader(reader).definition("store-it-nightly").orElseThrow();
    var read =
        ContractValidator.validateDefinition(row.toDefinitionDocument().toString()).orElseThrow();
    assertThat(read).isEqualTo(written);
    assertThat(new RegistryReader(reader).definition("no-such-activity")).isEmpty();
  }

  @Test
  void aReaderCanSelectButNeverWrite() {
    assertThat(query(reader, "select count(*) from activity_schedule_status")).isNull();
    for (String write :
        List.of(
            "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger, owner)"
                + " values ('x', 'ns', 'W', 'q', '{}'::jsonb, 'o')",
            "update activity_definition set paused = true",
            "delete from activity_schedule_status",
            "create table reader_table (id int)")) {
      assertThat(query(reader, write)).as(write).isEqualTo("42501");
    }
  }

  @Test
  void grantingAgainChangesNothingAndBadRolesAreNamed() {
    RegistryGrants.grantRead(owner, List.of(READER, READER));
    assertThat(query(reader, "select 1 from activity_definition")).isNull();

    assertThatThrownBy(
            () -> RegistryGrants.grantRead(owner, List.of(READER, "no_such_reader_role")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("[no_such_reader_role] do not exist")
        .hasMessageContaining("REGISTRY_READER_ROLES");
    assertThatThrownBy(() -> RegistryGrants.grantRead(owner, List.of("Reader; drop table x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[Reader; drop table x]")
        .hasMessageContaining(RegistryGrants.ACCEPTED);
  }

  @Test
  void aRoleWithoutTheGrantIsToldItIsRefused() throws SQLException {
    String stranger = "registry_store_it_stranger";
    stack.postgres().ensureLoginRole(stranger, "pw");
    // With USAGE on the schema but no SELECT: without USAGE PostgreSQL does not even show the table
    // (42P01).
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      s.execute("grant usage on schema public to " + stranger);
    }
    try (HikariDataSource db =
        Databases.pool(
            new DatabaseSettings(stack.postgres().jdbcUrl(DATABASE), stranger, "pw", 1),
            "it-registry-stranger")) {
      assertThatThrownBy(() -> new RegistryReader(db).definition("any"))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.accessDenied()).isTrue())
          .hasMessageContaining("activity_definition");
    }
  }

  /** Runs one statement; returns null when it succeeded, else its SQLSTATE. */
  private static String query(HikariDataSource db, String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
      return null;
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
