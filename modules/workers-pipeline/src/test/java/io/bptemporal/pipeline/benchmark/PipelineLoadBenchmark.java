package io.bptemporal.pipeline.benchmark;

import static io.bptemporal.pipeline.TestDatabases.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.TestDatabases;
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
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the load benchmark and prints rows/s of the pipeline next to a plain JDBC batch insert of
 * the same rows into the same database, as ratios ({@code make bench}; never part of {@code make
 * test}). No timed assertion: only that every run wrote what it should, so a ratio never compares a
 * broken load (docs/pipeline.md records the numbers).
 */
@ExtendWith(DevStackExtension.class)
class PipelineLoadBenchmark {
  private static final int RECORDS = 100_000;
  private static final int BATCH = 2_000;
  private static final int ROUNDS = 3;

  @TempDir Path dir;

  @Test
  void pipelineLoadRateNextToPlainJdbc(StackEndpoints stack) throws Exception {
    HikariDataSource db = TestDatabases.pipelineDatabase(stack, "pipeline_bench");
    RuleSetRegistry ruleSets = RuleSetRegistry.installed();
    PostgresTargets targets = new PostgresTargets(db);
    SourceCatalog sources =
        SourceCatalog.standard(
            db,
            url -> {
              throw new PipelineSetupException("files only");
            });
    PartitionLoader loader =
        new PartitionLoader(sources, ruleSets, targets, PipelineRowMetrics.NONE);
    RecordTransformer transformer =
        CustomerRuleSets.customersV1().forNaturalKey(List.of("customer_id"));
    CustomerData.Generated warmFile =
        CustomerData.writeNdjson(dir.resolve("warm.ndjson"), 10_000, 3);
    CustomerData.Generated file = CustomerData.writeNdjson(dir.resolve("bench.ndjson"), RECORDS, 3);
    List<List<Object>> rows = LoadBenchmark.acceptedRows(file, transformer);

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
    try {
      // Warm-up (JIT, pools, Temporal's task queue) on 10,000 records, not counted.
      LoadBenchmark.freshTable(db, "bench_warm");
      LoadBenchmark.plainJdbcInsert(
          db,
          "bench_warm",
          transformer.columns(),
          LoadBenchmark.acceptedRows(warmFile, transformer),
          BATCH);
      LoadBenchmark.freshTable(db, "bench_warm");
      LoadBenchmark.loaderOnly(
          loader,
          LoadBenchmark.request("warm-loader", warmFile, "bench_warm", BATCH, 10_000),
          10_000);
      LoadBenchmark.freshTable(db, "bench_warm");
      LoadBenchmark.workflow(
          client,
          taskQueue,
          LoadBenchmark.request(
              "warm-wf-" + UUID.randomUUID(), warmFile, "bench_warm", BATCH, 2_500),
          10_000);

      // Best of three rounds, the kinds interleaved: the machine is shared (builds, the stack
      // itself), and the best
      // run is the one least disturbed by others.
      LoadBenchmark.Measurement transformOnly = null;
      LoadBenchmark.Measurement jdbc = null;
      LoadBenchmark.Measurement path = null;
      LoadBenchmark.Measurement whole = null;
      for (int round = 0; round < ROUNDS; round++) {
        long transformStart = System.nanoTime();
        LoadBenchmark.acceptedRows(file, transformer);
        transformOnly =
            best(
                transformOnly,
                new LoadBenchmark.Measurement(
                    "read + transform only, no database",
                    RECORDS,
                    java.time.Duration.ofNanos(System.nanoTime() - transformStart)));
        LoadBenchmark.freshTable(db, "bench_jdbc");
        jdbc =
            best(
                jdbc,
                LoadBenchmark.plainJdbcInsert(
                    db, "bench_jdbc", transformer.columns(), rows, BATCH));
        LoadBenchmark.freshTable(db, "bench_loader");
        path =
            best(
                path,
                LoadBenchmark.loaderOnly(
                    loader,
                    LoadBenchmark.request(
                        "bench-loader-" + UUID.randomUUID(), file, "bench_loader", BATCH, RECORDS),
                    RECORDS));
        LoadBenchmark.freshTable(db, "bench_workflow");
        whole =
            best(
                whole,
                LoadBenchmark.workflow(
                    client,
                    taskQueue,
                    LoadBenchmark.request(
                        "bench-wf-" + UUID.randomUUID(), file, "bench_workflow", BATCH, 10_000),
                    RECORDS));
      }
      double baseline = jdbc.perSecond();
      System.out.printf(
          "%nPIPELINE LOAD BENCHMARK: %,d records (%d bad), batches of %,d, PostgreSQL %s, %d cores,"
              + " best of %d%n",
          RECORDS,
          file.defects().size(),
          BATCH,
          serverVersion(db),
          Runtime.getRuntime().availableProcessors(),
          ROUNDS);
      System.out.println("  " + jdbc.line(baseline));
      System.out.println("  " + path.line(baseline));
      System.out.println("  " + whole.line(baseline));
      System.out.println("  " + transformOnly.line(baseline));
      System.out.println();

      for (String table : List.of("bench_jdbc", "bench_loader", "bench_workflow")) {
        assertThat(count(db, "select count(*) from " + table)).as(table).isEqualTo(file.good());
      }
    } finally {
      workers.shutdownNow();
      stubs.shutdownNow();
      db.close();
    }
  }

  private static LoadBenchmark.Measurement best(
      LoadBenchmark.Measurement so, LoadBenchmark.Measurement now) {
    return so == null || now.took().compareTo(so.took()) < 0 ? now : so;
  }

  private static String serverVersion(DataSource db) {
    try (var c = db.getConnection()) {
      return c.getMetaData().getDatabaseProductVersion();
    } catch (java.sql.SQLException e) {
      return "?";
    }
  }
}
