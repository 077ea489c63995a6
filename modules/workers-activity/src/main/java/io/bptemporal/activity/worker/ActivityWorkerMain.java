package io.bptemporal.activity.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.runactivity.DefinitionArchive;
import io.bptemporal.activity.runactivity.RegistryDefinitionSource;
import io.bptemporal.activity.runactivity.RunActivityActivitiesImpl;
import io.bptemporal.activity.runactivity.RunActivityWorkflowImpl;
import io.bptemporal.activity.runactivity.RunLedger;
import io.bptemporal.activity.subject.SubjectEventsWorkflowImpl;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.database.RoleGrants;
import io.bptemporal.runtime.worker.WorkerProcess;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity worker process: namespace {@code pipelines}, task queue {@code activities-tq}
 * (unless TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE say otherwise), RunActivityWorkflow and its
 * activities, and SubjectEventsWorkflow (a subject's events, each run as a child RunActivity). DB_*
 * is the activity database (definition archive, facts, run ledger, task instances, outbox),
 * migrated at start-up; REGISTRY_DB_* the scheduler's registry, read-only
 * (docs/activity-worker.md). OUTBOX_RELAY_ROLES: roles granted read access to task_outbox and
 * UPDATE of its published_at after the migration (the event router's outbox relay).
 */
public final class ActivityWorkerMain {
  static final String SERVICE = "activity-worker";
  private static final Logger log = LoggerFactory.getLogger(ActivityWorkerMain.class);

  private ActivityWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    var settings =
        WorkerProcess.WorkerSettings.fromEnvironment(
            env, SERVICE, Namespaces.PIPELINES.name(), TaskQueues.ACTIVITIES);
    DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
    DatabaseSettings registrySettings = RegistrySettings.fromEnvironment(env);
    List<String> relayRoles =
        RoleGrants.fromEnvironment(env, ActivitySchema.OUTBOX_RELAY_ROLES, "outbox_relay");
    env.validateOrExit(SERVICE);
    try (WorkerProcess process = WorkerProcess.start(settings)) {
      HikariDataSource db = process.database(database);
      HikariDataSource registry = Databases.pool(registrySettings, SERVICE + "-registry");
      process.closeOnExit(registry);
      ActivitySchema.migrate(db);
      ActivitySchema.grantOutboxRelay(db, relayRoles);
      if (!relayRoles.isEmpty()) {
        log.info("task_outbox: relay access granted to {}", relayRoles);
      }

      process.registerWorkflowImplementationTypes(
          RunActivityWorkflowImpl.class, SubjectEventsWorkflowImpl.class);
      process.registerActivitiesImplementations(
          new RunActivityActivitiesImpl(
              new RegistryDefinitionSource(registry, registrySettings.url()),
              new DefinitionArchive(db),
              new RunLedger(db)));
      log.info("activity registry: {} as {}", registrySettings.url(), registrySettings.user());
      process.runUntilStopped();
    }
  }
}
