package io.bptemporal.pipeline.load;

import static io.bptemporal.pipeline.TestDatabases.count;
import static io.bptemporal.pipeline.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.pipeline.LoadPartition;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionResult;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.TestDatabases;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.etl.Heartbeat;
import io.bptemporal.pipeline.etl.PartitionLoader;
import io.bptemporal.pipeline.etl.PipelineRowMetrics;
import io.bptemporal.pipeline.quarantine.QuarantineTable;
import io.bptemporal.pipeline.quarantine.QuarantinedRecord;
import io.bptemporal.pipeline.source.PostgresQuerySource;
import io.bptemporal.pipeline.source.SourceCatalog;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.pipeline.transform.RuleSetRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load path against the dev stack's PostgreSQL: sources, upserts, quarantine, checkpoints,
 * target checks.
 */
@ExtendWith(DevStackExtension.class)
class PostgresLoadIT {
  private static HikariDataSource db;
  private static PartitionLoader loader;

  @TempDir Path dir;

  @BeforeAll
  static void database(StackEndpoints stack) {
    db = TestDatabases.pipelineDatabase(stack, "pipeline_it");
    loader =
        new PartitionLoader(
            SourceCatalog.standard(
                db,
                url -> {
                  throw new PipelineSetupException("no other databases in this test");
                }),
            RuleSetRegistry.installed(),
            new PostgresTargets(db),
            PipelineRowMetrics.NONE);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /**
   * Heartbeats of a test "activity": recorded; the one after the n-th commit can "kill" the
   * attempt.
   */
  static final class RecordingHeartbeat implements Heartbeat {
    final List<PartitionCheckpoint> beats = new ArrayList<>();
    private final Optional<PartitionCheckpoint> previous;
    private final int killAfterCommits;

    RecordingHeartbeat(Optional<PartitionCheckpoint> previous, int killAfterCommits) {
      this.previous = previous;
      this.killAfterCommits = killAfterCommits;
    }

    static RecordingHeartbeat fresh() {
      return new RecordingHeartbeat(Optional.empty(), Integer.MAX_VALUE);
    }

    @Override
    public Optional<PartitionCheckpoint> lastDetails() {
      return previous;
    }

    @Override
    public void beat(PartitionCheckpoint checkpoint) {
      beats.add(checkpoint);
      // Beat 1 reports where the attempt starts; beat k+1 follows the k-th commit.
      if (beats.size() == killAfterCommits + 1) {
        throw new IllegalStateException(
            "worker killed after " + killAfterCommits + " committed batches");
      }
    }
  }

  private static PipelineRequest request(
      String pipelineId, SourceSpec source, String table, int batch, int partition) {
    return new PipelineRequest(
        pipelineId,
        source,
        table,
        List.of("customer_id"),
        CustomerRuleSets.CUSTOMERS_V1,
        batch,
        partition);
  }

  private static PartitionResult load(
      PipelineRequest request, Partition partition, String key, Heartbeat heartbeat) {
    return loader.load(
        new LoadPartition(request, partition),
        new PartitionLoader.Execution(key, "wf-" + key, "run-1"),
        heartbeat);
  }

  private static Map<Long, List<String>> quarantinedRules(String pipelineId) throws Exception {
    try (Connection c = db.getConnection()) {
      return QuarantineTable.all(c, pipelineId).stream()
          .collect(Collectors.toMap(QuarantinedRecord::sourceOffset, QuarantinedRecord::rules));
    }
  }

  @Test
  void upsertsByNaturalKeyQuarantinesWithReasonsAndALoadRepeatedWritesNothingTwice()
      throws Exception {
    execute(db, CustomerData.createTable("customers_csv"));
    CustomerData.Generated file = CustomerData.writeCsv(dir.resolve("customers.csv"), 2_000, 15);
    PipelineRequest request =
        request(
            "csv-load",
            SourceSpec.file(SourceType.CSV, file.file().toString()),
            "customers_csv",
            300,
            2_000);
    Partition all = new Partition(0, 0, 2_000);

    PartitionResult first = load(request, all, "csv-1", RecordingHeartbeat.fresh());
    PartitionResult again = load(request, all, "csv-2", RecordingHeartbeat.fresh());

    assertThat(first).isEqualTo(new PartitionResult(0, 2_000, file.good(), file.defects().size()));
    assertThat(again).isEqualTo(first);
    assertThat(count(db, "select count(*) from customers_csv")).isEqualTo(file.good());
    Map<Long, List<String>> quarantined = quarantinedRules("csv-load");
    assertThat(quarantined).hasSize(file.defects().size());
    file.defects()
        .forEach(
            (offset, defect) ->
                assertThat(quarantined.get(offset))
                    .as("record %d", offset)
                    .containsExactly(defect.rule()));
    assertThat(
            count(
                db,
                "select count(*) from customers_csv where customer_id = 'c-0000005' and name = 'Customer 5, Jr.'"
                    + " and country = 'SE' and country_name = 'Sweden' and email_domain = 'mail.example.net'"))
        .as("normalised and enriched")
        .isEqualTo(1);
    try (Connection c = db.getConnection()) {
      QuarantinedRecord unparsable =
          QuarantineTable.all(c, "csv-load").stream()
              .filter(q -> q.rules().contains(CustomerData.Defect.UNPARSEABLE.rule()))
              .findFirst()
              .orElseThrow();
      assertThat(unparsable.reason()).contains("has 2 field(s), the header has 6");
      assertThat(unparsable.position())
          .isEqualTo(file.file() + ":" + (unparsable.sourceOffset() + 2));
    }
  }

  @Test
  void aKilledAttemptResumesExactlyAtItsCommittedCheckpoint() {
    execute(db, CustomerData.createTable("customers_resume"));
    CustomerData.Generated file =
        CustomerData.writeNdjson(dir.resolve("customers.ndjson"), 3_000, 10);
    PipelineRequest request =
        request(
            "resume-load",
            SourceSpec.file(SourceType.NDJSON, file.file().toString()),
            "customers_resume",
            250,
            1_500);
    Partition second = new Partition(1, 1_500, 1_500);

    assertThatThrownBy(
            () -> load(request, second, "resume", new RecordingHeartbeat(Optional.empty(), 3)))
        .hasMessageContaining("worker killed");
    long committed =
        count(db, "select count(*) from customers_resume")
            + count(
                db, "select count(*) from pipeline_quarantine where pipeline_id = 'resume-load'");
    // The retry knows nothing from heartbeats (the worker died before sending them): only the
    // database remembers.
    RecordingHeartbeat retry = RecordingHeartbeat.fresh();
    PartitionResult result = load(request, second, "resume", retry);

    assertThat(committed).isEqualTo(750);
    assertThat(retry.beats.get(0).nextOffset())
        .as("resumed after the 3 committed batches")
        .isEqualTo(1_500 + 750);
    assertThat(retry.beats.get(0).read()).isEqualTo(750);
    long badInPartition = file.defects().keySet().stream().filter(o -> o >= 1_500).count();
    assertThat(result)
        .isEqualTo(new PartitionResult(1, 1_500, 1_500 - badInPartition, badInPartition));
    assertThat(count(db, "select count(*) from customers_resume"))
        .isEqualTo(1_500 - badInPartition);
    assertThat(
            count(
                db,
                "select count(*) from pipeline_checkpoint where checkpoint_key = 'resume'"
                    + " and next_offset = 3000 and read = 1500"))
        .isEqualTo(1);
  }

  @Test
  void aPostgresQueryIsReadByKeysetAndAResumedPartitionContinuesAtItsCursor() {
    execute(
        db,
        "create table src_customers (customer_id text primary key, email text, name text, country text,"
            + " credit_limit_cents bigint, signup_date date)",
        "insert into src_customers select 'c-' || lpad(i::text, 7, '0'), case when i % 100 = 7 then 'broken' else"
            + " 'user' || i || '@example.com' end, 'Customer ' || i, 'DE', i * 10, date '2021-01-01' + i"
            + " from generate_series(0, 1233) i",
        CustomerData.createTable("customers_pg"));
    PipelineRequest request =
        request(
            "pg-load",
            SourceSpec.postgres(
                "select customer_id, email, name, country, credit_limit_cents, signup_date from src_customers;"),
            "customers_pg",
            100,
            500);
    PostgresQuerySource source =
        new PostgresQuerySource(
            db, request.source().query().orElseThrow(), List.of("customer_id"), "test");
    assertThat(source.count()).isEqualTo(1_234);

    Partition middle = new Partition(1, 500, 500);
    assertThatThrownBy(
            () -> load(request, middle, "pg-middle", new RecordingHeartbeat(Optional.empty(), 2)))
        .hasMessageContaining("worker killed");
    assertThat(
            count(
                db,
                "select count(*) from pipeline_checkpoint where checkpoint_key = 'pg-middle'"
                    + " and cursor = '{\"key\": [\"c-0000699\"]}'::jsonb"))
        .as("the checkpoint holds the keyset cursor")
        .isEqualTo(1);
    RecordingHeartbeat retry = RecordingHeartbeat.fresh();
    load(request, middle, "pg-middle", retry);
    load(request, new Partition(0, 0, 500), "pg-first", RecordingHeartbeat.fresh());
    PartitionResult last =
        load(request, new Partition(2, 1_000, 234), "pg-last", RecordingHeartbeat.fresh());

    assertThat(retry.beats.get(0).cursor()).isPresent();
    assertThat(last.read()).isEqualTo(234);
    assertThat(count(db, "select count(*) from customers_pg")).isEqualTo(1_234 - 13);
    assertThat(count(db, "select count(*) from pipeline_quarantine where pipeline_id = 'pg-load'"))
        .isEqualTo(13);
    assertThat(
            count(
                db,
                "select count(*) from pipeline_quarantine where pipeline_id = 'pg-load'"
                    + " and source_position = 'row (customer_id)=(c-0000707)' and source_offset = 707"))
        .isEqualTo(1);
  }

  @Test
  void aPostgresSourceWhoseNaturalKeyIsNotUniqueOrNullIsRefused() {
    execute(
        db,
        "create table src_dupes (customer_id text, email text)",
        "insert into src_dupes values ('a', 'x@y.de'), ('a', 'z@y.de'), (null, 'n@y.de')");
    PostgresQuerySource nulls =
        new PostgresQuerySource(db, "select * from src_dupes", List.of("customer_id"), "test");
    PostgresQuerySource dupes =
        new PostgresQuerySource(
            db,
            "select * from src_dupes where customer_id is not null",
            List.of("customer_id"),
            "test");
    PostgresQuerySource missing =
        new PostgresQuerySource(db, "select email from src_dupes", List.of("customer_id"), "test");

    assertThatThrownBy(nulls::count)
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("1 row(s) have a NULL in the natural key [customer_id]");
    assertThatThrownBy(dupes::count)
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("the natural key [customer_id] repeats (2 rows, 1 distinct keys)");
    assertThatThrownBy(missing::count)
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("the query returns no column [customer_id]");
  }

  @Test
  void rowsTheTargetRefusesAreQuarantinedWithTheDatabasesReasonAndTheRestLoads() {
    execute(
        db,
        CustomerData.createTable("customers_checked"),
        "alter table customers_checked add constraint credit_cap check (credit_limit_cents < 2000000)");
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("customers.ndjson"), 600, 0);
    PipelineRequest request =
        request(
            "checked-load",
            SourceSpec.file(SourceType.NDJSON, file.file().toString()),
            "customers_checked",
            200,
            600);

    PartitionResult result =
        load(request, new Partition(0, 0, 600), "checked", RecordingHeartbeat.fresh());

    long overCap =
        count(
            db,
            "select count(*) from generate_series(0, 599) i where (i * 7919) % 2500000 >= 2000000");
    assertThat(overCap).isPositive();
    assertThat(result.quarantined()).isEqualTo(overCap);
    assertThat(result.loaded()).isEqualTo(600 - overCap);
    assertThat(
            count(
                db,
                "select count(*) from pipeline_quarantine where pipeline_id = 'checked-load'"
                    + " and reason like '%refused the row: ERROR: new row for relation \"customers_checked\" violates check"
                    + " constraint \"credit_cap\"%' and violations -> 0 ->> 'rule' = 'customers-v1/target.refused'"))
        .isEqualTo(overCap);
  }

  @Test
  void aLaterRunThatLoadsAQuarantinedRecordResolvesItsQuarantineRow() throws Exception {
    execute(db, CustomerData.createTable("customers_fixed"));
    Path file = dir.resolve("fix.ndjson");
    String good = "{\"customer_id\":\"c-1\",\"email\":\"a@b.de\",\"name\":\"A\"}\n";
    Files.writeString(
        file, good + "{\"customer_id\":\"c-2\",\"email\":\"broken\",\"name\":\"B\"}\n");
    PipelineRequest request =
        request(
            "fix-load",
            SourceSpec.file(SourceType.NDJSON, file.toString()),
            "customers_fixed",
            10,
            10);
    load(request, new Partition(0, 0, 2), "fix-1", RecordingHeartbeat.fresh());
    Files.writeString(
        file, good + "{\"customer_id\":\"c-2\",\"email\":\"b@b.de\",\"name\":\"B\"}\n");

    load(request, new Partition(0, 0, 2), "fix-2", RecordingHeartbeat.fresh());

    try (Connection c = db.getConnection()) {
      assertThat(QuarantineTable.open(c, "fix-load", 10)).isEmpty();
      assertThat(QuarantineTable.all(c, "fix-load"))
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.sourceOffset()).isEqualTo(1);
                assertThat(q.resolution()).contains("LOADED");
              });
    }
    assertThat(count(db, "select count(*) from customers_fixed")).isEqualTo(2);
  }

  @Test
  void aTargetThatCannotTakeTheRowsIsRefusedNamingEveryProblem() {
    execute(
        db,
        "create table customers_wrong (customer_id text, email integer, name text, mandatory text not null)");
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("x.ndjson"), 5, 0);
    RuleSetRegistry rules = RuleSetRegistry.installed();
    PostgresTargets targets = new PostgresTargets(db);

    assertThatThrownBy(
            () ->
                targets.verify(
                    request(
                        "w",
                        SourceSpec.file(SourceType.NDJSON, file.file().toString()),
                        "customers_missing",
                        5,
                        5),
                    rules.require("customers-v1").forNaturalKey(List.of("customer_id"))))
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("target_table 'customers_missing' does not exist")
        .hasMessageContaining(
            "create table customers_missing (customer_id text not null, email text not null");
    assertThatThrownBy(
            () ->
                targets.verify(
                    request(
                        "w",
                        SourceSpec.file(SourceType.NDJSON, file.file().toString()),
                        "customers_wrong",
                        5,
                        5),
                    rules.require("customers-v1").forNaturalKey(List.of("customer_id"))))
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("column email is int4, rule set customers-v1 writes text")
        .hasMessageContaining("has no column country (text)")
        .hasMessageContaining("column mandatory is NOT NULL without a default")
        .hasMessageContaining(
            "has no unique constraint or index on exactly the natural key (customer_id)");
  }
}
