package io.bptemporal.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.bench.report.BenchSummary;
import io.bptemporal.bench.report.Summary;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.etl.DataPipelineActivitiesImpl;
import io.bptemporal.pipeline.etl.DataPipelineWorkflowImpl;
import io.bptemporal.pipeline.etl.PartitionGroupWorkflowImpl;
import io.bptemporal.pipeline.etl.PartitionLoader;
import io.bptemporal.pipeline.etl.PipelineRowMetrics;
import io.bptemporal.pipeline.load.PostgresTargets;
import io.bptemporal.pipeline.source.SourceCatalog;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.pipeline.transform.RecordTransformer;
import io.bptemporal.pipeline.transform.RuleSetRegistry;
import io.bptemporal.pipeline.worker.PipelineSchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 2 ({@code make bench}; never part of {@code make test}): how close the pipeline
 * comes to what PostgreSQL can take. The same generated customer file (100,000 records, 3 per
 * thousand bad) into fresh tables of the same schema in the same database, contenders taking turns
 * A B C D A B C D …, {@code bp.bench.rounds} rounds (default 3):
 *
 * <ul>
 *   <li>{@value #OURS}: {@code PartitionLoader} on one partition, without Temporal — read, the real
 *       rule set (customers-v1), upsert by customer_id, bad records quarantined, checkpoint, one
 *       transaction per batch of {@value #BATCH};
 *   <li>{@value #WORKFLOW}: the whole DataPipelineWorkflow on the dev stack's server (partitions of
 *       10,000, 4 at a time), worker in this JVM;
 *   <li>{@value #COPY}: the limit, {@code COPY … FROM STDIN} of the already transformed good rows;
 *   <li>{@value #JDBC}: INSERT with executeBatch, a commit per {@value #BATCH}.
 * </ul>
 *
 * <p>Writes target/bench/pipeline.json, pipeline.txt and a rows/s bar chart. No timed assertion:
 * only that every table holds the file's good rows, so that no ratio compares a broken load. {@code
 * -Dbp.bench.pipeline.records=10000} runs a smaller file (a smoke run).
 */
@ExtendWith({DevStackExtension.class, BenchSummary.class})
class PipelineBenchmark {
  static final String OURS = "ours: load path";
  static final String WORKFLOW = "ours: workflow";
  static final String COPY = "PostgreSQL COPY";
  static final String JDBC = "JDBC batch insert";
  private static final int RECORDS = Integer.getInteger("bp.bench.pipeline.records", 100_000);
  private static final int BATCH = 2_000;
  private static final int ROUNDS = Integer.getInteger("bp.bench.rounds", 3);

  @TempDir Path dir;

  @Test
  void pipelineLoadNextToCopyAndJdbc(StackEndpoints stack) throws Exception {
    Path out = Path.of(System.getProperty("bp.bench.output.dir", "target/bench"));
    String name = "pipeline_bench";
    String url = stack.postgres().freshDatabase(name, name, "pw");
    // The worker's own URL option (the chart and make run set it too): batched INSERTs rewritten.
    try (HikariDataSource db =
        Databases.pool(
            new DatabaseSettings(url + "?reWriteBatchedInserts=true", name, "pw", 6), name)) {
      PipelineSchema.migrate(db);
      RuleSetRegistry ruleSets = RuleSetRegistry.installed();
      PostgresTargets targets = new PostgresTargets(db);
      SourceCatalog sources =
          SourceCatalog.standard(
              db,
              unused -> {
                throw new PipelineSetupException("files only");
              });
      PartitionLoader loader =
          new PartitionLoader(sources, ruleSets, targets, PipelineRowMetrics.NONE);
      RecordTransformer transformer =
          CustomerRuleSets.customersV1().forNaturalKey(List.of("customer_id"));
      CustomerData.Generated file =
          CustomerData.writeNdjson(dir.resolve("bench.ndjson"), RECORDS, 3);
      List<List<Object>> rows = LoadContenders.acceptedRows(file, transformer);

      String taskQueue = "pipelines-bench-" + UUID.randomUUID();
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs,
              WorkflowClientOptions.newBuilder().setNamespace(Namespaces.PIPELINES.name()).build());
      WorkerFactory workers = WorkerFactory.newInstance(client);
      var worker = workers.newWorker(taskQueue);
      worker.registerWorkflowImplementationTypes(
          DataPipelineWorkflowImpl.class, PartitionGroupWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new DataPipelineActivitiesImpl(sources, ruleSets, targets, PipelineRowMetrics.NONE));
      workers.start();
      Map<String, String> tables = new LinkedHashMap<>();
      tables.put(OURS, "bench_loader");
      tables.put(WORKFLOW, "bench_workflow");
      tables.put(COPY, "bench_copy");
      tables.put(JDBC, "bench_jdbc");
      Map<String, List<Long>> nanos = new LinkedHashMap<>();
      tables.keySet().forEach(c -> nanos.put(c, new ArrayList<>()));
      try {
        // Warm-up, not counted: JIT, the pool, the task queue; each contender once on the whole
        // file. (A warm-up on 10,000 records left the JIT compiling through the measured rounds:
        // the load path took 1.21, 0.94, 0.78 s in rounds 0, 1, 2.)
        for (String contender : tables.keySet()) {
          run(contender, db, loader, client, taskQueue, transformer, file, rows, "bench_warm");
        }
        String machine = machine(db, file);
        for (int round = 0; round < ROUNDS; round++) {
          for (String contender : tables.keySet()) {
            long took =
                run(
                    contender,
                    db,
                    loader,
                    client,
                    taskQueue,
                    transformer,
                    file,
                    rows,
                    tables.get(contender));
            nanos.get(contender).add(took);
            assertThat(LoadContenders.count(db, tables.get(contender)))
                .as("rows %s wrote in round %d", contender, round)
                .isEqualTo(file.good());
            System.out.printf(
                Locale.ROOT,
                "  round %d %-36s %6.2f s  %,10.0f rows/s%n",
                round,
                contender,
                took / 1e9,
                rows.size() / (took / 1e9));
          }
        }
        PipelineReport report =
            new PipelineReport(
                List.copyOf(tables.keySet()),
                nanos,
                rows.size(),
                RECORDS,
                OURS,
                COPY,
                JDBC,
                machine);
        System.out.print(report.table());
        for (Path written : report.write(out)) {
          System.out.println("  wrote " + written.toAbsolutePath());
        }
        BenchSummary.record(report.targets());
      } finally {
        // The pollers first, then their channel: the other order logs a failed poll per poller.
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        stubs.shutdownNow();
      }
    }
  }

  /** One contender into a fresh {@code table}; the wall time of the load alone. */
  private static long run(
      String contender,
      HikariDataSource db,
      PartitionLoader loader,
      WorkflowClient client,
      String taskQueue,
      RecordTransformer transformer,
      CustomerData.Generated file,
      List<List<Object>> rows,
      String table)
      throws Exception {
    LoadContenders.freshTable(db, table);
    String id = "bench-" + UUID.randomUUID();
    return switch (contender) {
      case OURS ->
          LoadContenders.loaderOnly(
              loader,
              LoadContenders.request(id, file, table, BATCH, (int) file.records()),
              file.records());
      case WORKFLOW ->
          LoadContenders.workflow(
              client,
              taskQueue,
              LoadContenders.request(id, file, table, BATCH, 10_000),
              file.records());
      case COPY -> LoadContenders.copyIn(db, table, transformer.columns(), rows);
      case JDBC -> LoadContenders.plainJdbcInsert(db, table, transformer.columns(), rows, BATCH);
      default -> throw new IllegalArgumentException(contender);
    };
  }

  private static String machine(HikariDataSource db, CustomerData.Generated file) {
    String version;
    try (Connection c = db.getConnection()) {
      version = c.getMetaData().getDatabaseProductVersion();
    } catch (java.sql.SQLException e) {
      version = "?";
    }
    return String.format(
        Locale.ROOT,
        "batches of %,d, %d bad records quarantined, PostgreSQL %s, %s",
        BATCH,
        file.defects().size(),
        version,
        Summary.machine());
  }
}
