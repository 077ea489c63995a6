package io.bptemporal.scheduler.cli;

import com.uber.m3.tally.Scope;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.scheduler.config.SchedulerSettings;
import io.bptemporal.scheduler.lock.LeaderLock;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.bptemporal.scheduler.temporal.TemporalSchedules;
import java.util.Optional;

/**
 * The scheduler's parts, wired from its settings with the platform's one connection factory and one
 * pool factory: the Temporal connection, the registry pool, the reconciler, and (for {@code run})
 * the leader lock on a pool of its own.
 */
final class SchedulerProcess implements AutoCloseable {
  final SchedulerSettings settings;
  final TemporalConnection connection;
  final HikariDataSource pool;
  final ActivityRegistry registry;
  final ScheduleCallCounter counter = new ScheduleCallCounter();
  final TemporalSchedules schedules;
  final ScheduleReconciler reconciler;
  private HikariDataSource lockPool;

  SchedulerProcess(SchedulerSettings settings, Optional<Scope> metricsScope) {
    this.settings = settings;
    this.connection = TemporalConnection.open(settings.temporal(), metricsScope);
    this.pool = Databases.pool(settings.database(), "scheduler");
    this.registry = new ActivityRegistry(pool);
    this.schedules = TemporalSchedules.counted(connection, counter);
    this.reconciler =
        ReconcilerWiring.reconciler(
            registry,
            connection,
            schedules,
            new RowChecks(settings.namespaces(), settings.workflowTypes()),
            counter);
  }

  /** The leader lock, on a pool of exactly one connection that nothing else uses. */
  synchronized LeaderLock leaderLock() {
    if (lockPool == null) {
      DatabaseSettings db = settings.database();
      lockPool =
          Databases.pool(
              new DatabaseSettings(db.url(), db.user(), db.password(), 1), "scheduler-leader-lock");
    }
    return new LeaderLock(lockPool);
  }

  @Override
  public void close() {
    if (lockPool != null) {
      // Closing the pool ends the lock's session, which releases the lock even if the unlock
      // failed.
      lockPool.close();
    }
    pool.close();
    connection.close();
  }
}
