package io.bptemporal.scheduler.run;

import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.scheduler.lock.LeaderLock;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ReconcileMetrics;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scheduler run}: reconcile on an interval and at once when the registry notifies a change,
 * but only while holding the leader lock. A standby tries the lock every {@code lockRetry}; a
 * leader that finds its lock gone (connection lost) stops reconciling at once and becomes a
 * standby. A stop request finishes the running pass, releases the lock so a standby takes over
 * without waiting, and returns.
 */
public final class ReconcileService {
  private static final Logger log = LoggerFactory.getLogger(ReconcileService.class);

  /** How long a wait may block before it looks at the stop flag again. */
  private static final Duration SLICE = Duration.ofMillis(250);

  /** Changes arriving together (a bulk edit in several statements) are applied in one pass. */
  private static final Duration DEBOUNCE = Duration.ofMillis(200);

  private final ScheduleReconciler reconciler;
  private final LeaderLock lock;
  private final Duration interval;
  private final Duration lockRetry;
  private final ReconcileMetrics metrics;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong passes = new AtomicLong();
  private volatile boolean leader;

  public ReconcileService(
      ScheduleReconciler reconciler,
      LeaderLock lock,
      Duration interval,
      Duration lockRetry,
      ReconcileMetrics metrics) {
    this.reconciler = reconciler;
    this.lock = lock;
    this.interval = interval;
    this.lockRetry = lockRetry;
    this.metrics = metrics;
  }

  /** Blocks until {@link #requestStop()}; then the lock is released. */
  public void runUntilStopped() {
    metrics.leader(false);
    try {
      while (!stopRequested()) {
        if (!leader) {
          if (lock.tryAcquire() && listen()) {
            becomeLeader();
          } else {
            await(lockRetry);
            continue;
          }
        }
        if (!lock.stillHeld()) {
          becomeStandby("the leader lock is gone (its database session ended)");
          continue;
        }
        pass();
        if (!awaitChange(interval)) {
          becomeStandby("the lock connection failed while waiting for registry changes");
        }
      }
    } finally {
      lock.close();
      if (leader) {
        leader = false;
        metrics.leader(false);
      }
      stopped.countDown();
      log.info("scheduler stopped after {} pass(es)", passes.get());
    }
  }

  /** Same as SIGTERM: the running pass finishes, then the lock is released. */
  public void requestStop() {
    stopRequested.countDown();
  }

  /** Waits for {@link #runUntilStopped()} to return after a stop request. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isLeader() {
    return leader;
  }

  /** Passes run by this process (as leader). */
  public long passes() {
    return passes.get();
  }

  private void pass() {
    try {
      PassResult result = reconciler.apply();
      passes.incrementAndGet();
      metrics.pass(result);
    } catch (RuntimeException e) {
      // The registry or Temporal is unreachable: the next interval tries again; readiness reports
      // which.
      log.error("reconcile pass failed: {}", e.toString());
    }
  }

  private void becomeLeader() {
    leader = true;
    metrics.leader(true);
    log.info(
        "leader: holding the scheduler lock, reconciling every {} and on registry changes",
        interval);
  }

  private void becomeStandby(String why) {
    leader = false;
    metrics.leader(false);
    log.warn("standby: {}; trying to take the lock again every {}", why, lockRetry);
  }

  private boolean listen() {
    Optional<Connection> connection = lock.connection();
    if (connection.isEmpty()) {
      return false;
    }
    try (Statement s = connection.get().createStatement()) {
      s.execute("listen " + ActivityRegistry.CHANGE_CHANNEL);
      return true;
    } catch (SQLException e) {
      log.warn("cannot listen for registry changes: {}", e.getMessage());
      return false;
    }
  }

  /**
   * Waits up to {@code timeout} for a change notification (then a short debounce) or a stop
   * request. False when the lock connection failed.
   */
  private boolean awaitChange(Duration timeout) {
    Optional<Connection> connection = lock.connection();
    if (connection.isEmpty()) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      PGConnection pg = connection.get().unwrap(PGConnection.class);
      while (!stopRequested() && System.nanoTime() < deadline) {
        long slice =
            Math.min(SLICE.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        PGNotification[] notifications = pg.getNotifications((int) slice);
        if (notifications != null && notifications.length > 0) {
          pg.getNotifications((int) DEBOUNCE.toMillis());
          log.debug("registry changed ({}): reconciling now", notifications[0].getParameter());
          return true;
        }
      }
      return true;
    } catch (SQLException e) {
      log.warn("waiting for registry changes failed: {}", e.getMessage());
      return false;
    }
  }

  private void await(Duration duration) {
    try {
      stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopRequested.countDown();
    }
  }

  private boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }
}
