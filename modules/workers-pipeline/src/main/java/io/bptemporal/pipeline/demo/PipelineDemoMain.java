package io.bptemporal.pipeline.demo;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.logging.Logging;
import io.bptemporal.pipeline.quarantine.QuarantineTable;
import io.bptemporal.pipeline.quarantine.QuarantinedRecord;
import io.bptemporal.pipeline.transform.CustomerRuleSets;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code make run} demo (a task: runs once and exits): writes a customer file with a few bad
 * records, loads it with DataPipelineWorkflow through the running pipeline worker, prints the
 * progress, the counts, some quarantined records with their reasons and the Web UI link. Exits 1
 * when the counts are not what the file holds.
 *
 * <p>Environment: TEMPORAL_* as every process, DB_URL / DB_USER / DB_PASSWORD of the pipeline
 * worker's database (the demo creates its target table there), TEMPORAL_UI_URL (default {@value
 * #DEFAULT_UI}), DEMO_ROWS (default 10000), DEMO_DIR (default a directory under java.io.tmpdir).
 */
public final class PipelineDemoMain {
  static final String DEFAULT_UI = "http://127.0.0.1:8233";
  static final String TARGET_TABLE = "demo_customers";

  private PipelineDemoMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    Logging.configure(TelemetryConfig.fromEnvironment(env, "pipeline-demo"));
    TemporalSettings temporal =
        TemporalSettings.fromEnvironment(env, Namespaces.PIPELINES.name(), TaskQueues.PIPELINES);
    DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
    String ui = env.string("TEMPORAL_UI_URL", DEFAULT_UI).replaceAll("/+$", "");
    int rows = env.integer("DEMO_ROWS", 10_000, 1, 10_000_000);
    Path dir =
        Path.of(
            env.string(
                "DEMO_DIR",
                Path.of(System.getProperty("java.io.tmpdir"), "bp-pipeline-demo").toString()));
    env.validateOrExit("pipeline-demo");

    Files.createDirectories(dir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String pipelineId = "demo-customers-" + stamp;
    CustomerData.Generated file =
        CustomerData.writeNdjson(dir.resolve(pipelineId + ".ndjson"), rows, 5);
    System.out.printf(
        "pipeline-demo: wrote %,d customer records to %s (%d deliberately bad)%n",
        file.records(), file.file(), file.defects().size());

    try (HikariDataSource db = Databases.pool(database, "pipeline-demo")) {
      run(temporal, db, ui, pipelineId, file);
    }
  }

  private static void run(
      TemporalSettings temporal,
      HikariDataSource db,
      String ui,
      String pipelineId,
      CustomerData.Generated file)
      throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(CustomerData.createTable(TARGET_TABLE));
    }

    PipelineRequest request =
        new PipelineRequest(
            pipelineId,
            SourceSpec.file(SourceType.NDJSON, file.file().toString()),
            TARGET_TABLE,
            List.of("customer_id"),
            CustomerRuleSets.CUSTOMERS_V1,
            1_000,
            2_500);
    try (TemporalConnection connection = TemporalConnection.open(temporal, Optional.empty())) {
      WorkflowClient client = connection.client(List.of());
      DataPipelineWorkflow workflow =
          client.newWorkflowStub(
              DataPipelineWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(WorkflowIds.dataPipeline(pipelineId))
                  .setTaskQueue(temporal.taskQueue())
                  .build());
      WorkflowExecution execution = WorkflowClient.start(workflow::run, request);
      String link =
          ui
              + "/namespaces/"
              + temporal.namespace()
              + "/workflows/"
              + URLEncoder.encode(execution.getWorkflowId(), StandardCharsets.UTF_8)
              + "/"
              + execution.getRunId()
              + "/history";
      System.out.println(
          "pipeline-demo: started " + execution.getWorkflowId() + " - watch it: " + link);

      CompletableFuture<PipelineResult> result =
          WorkflowStub.fromTyped(workflow).getResultAsync(PipelineResult.class);
      String last = "";
      while (!result.isDone()) {
        PipelineProgress progress = workflow.progress();
        String line =
            String.format(
                "pipeline-demo: %s %d/%d partitions, read %,d, loaded %,d, quarantined %,d",
                progress.phase(),
                progress.partitionsDone(),
                progress.partitionsTotal(),
                progress.read(),
                progress.loaded(),
                progress.quarantined());
        if (!line.equals(last)) {
          System.out.println(line);
          last = line;
        }
        try {
          result.get(500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException notYet) {
          // poll the progress again
        }
      }
      PipelineResult done = result.get();
      System.out.printf(
          "pipeline-demo: done: read %,d, loaded %,d, quarantined %,d in %d partition(s) into %s%n",
          done.read(), done.loaded(), done.quarantined(), done.partitions(), TARGET_TABLE);
      try (Connection c = db.getConnection()) {
        for (QuarantinedRecord q : QuarantineTable.open(c, pipelineId, 5)) {
          System.out.println("pipeline-demo: quarantined " + q.position() + ": " + q.reason());
        }
      }
      System.out.println("pipeline-demo: Web UI: " + link);
      boolean expected =
          done.read() == file.records()
              && done.quarantined() == file.defects().size()
              && done.loaded() == file.good();
      if (!expected) {
        System.out.printf(
            "pipeline-demo: UNEXPECTED counts: the file has %d records of which %d are bad%n",
            file.records(), file.defects().size());
        System.exit(1);
      }
    }
  }
}
