package io.bptemporal.pipeline.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.pipeline.etl.DataPipelineActivitiesImpl;
import io.bptemporal.pipeline.etl.DataPipelineWorkflowImpl;
import io.bptemporal.pipeline.etl.PartitionGroupWorkflowImpl;
import io.bptemporal.pipeline.etl.PipelineMetrics;
import io.bptemporal.pipeline.load.PostgresTargets;
import io.bptemporal.pipeline.source.SourceCatalog;
import io.bptemporal.pipeline.transform.RuleSetRegistry;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.worker.WorkerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline worker process: namespace {@code pipelines}, task queue {@code pipelines-tq} (unless
 * TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE say otherwise), DataPipelineWorkflow with its child
 * workflow and activities, the pipeline database migrated at start-up. Configuration:
 * docs/operations/configuration.md (docs/pipeline.md). RunActivity has a worker of its own
 * (modules/workers-activity).
 */
public final class PipelineWorkerMain {
  static final String SERVICE = "pipeline-worker";
  private static final Logger log = LoggerFactory.getLogger(PipelineWorkerMain.class);

  private PipelineWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    var settings =
        WorkerProcess.WorkerSettings.fromEnvironment(
            env, SERVICE, Namespaces.PIPELINES.name(), TaskQueues.PIPELINES);
    DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
    WorkerDatabases databases = new WorkerDatabases(database);
    env.validateOrExit(SERVICE);
    try (WorkerProcess process = WorkerProcess.start(settings)) {
      HikariDataSource db = process.database(WorkerDatabases.forBatches(database));
      process.closeOnExit(databases);
      PipelineSchema.migrate(db);
      RuleSetRegistry ruleSets = RuleSetRegistry.installed();
      PipelineMetrics metrics = new PipelineMetrics(process.telemetry().meterRegistry());

      process.registerWorkflowImplementationTypes(
          DataPipelineWorkflowImpl.class, PartitionGroupWorkflowImpl.class);
      process.registerActivitiesImplementations(
          new DataPipelineActivitiesImpl(
              SourceCatalog.standard(db, databases), ruleSets, new PostgresTargets(db), metrics));
      log.info("rule sets {}", ruleSets.names());
      process.runUntilStopped();
    }
  }
}
