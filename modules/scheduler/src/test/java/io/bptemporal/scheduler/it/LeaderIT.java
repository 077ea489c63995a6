package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.scheduler.lock.LeaderLock;
import io.bptemporal.scheduler.reconcile.ReconcileMetrics;
import io.bptemporal.scheduler.run.ReconcileService;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two schedulers in one JVM on one registry: exactly one holds the advisory lock and reconciles
 * (the other makes no call to Temporal at all); a registry change reaches the leader through
 * NOTIFY, long before its interval; when the leader's database session is killed it stops
 * reconciling at once and exactly one of the two leads afterwards; a leader that stops hands over
 * at once. No two passes ever overlap in time. (Killing a whole scheduler process is
 * SchedulerProcessIT.)
 */
@ExtendWith(DevStackExtension.class)
class LeaderIT {
  /** Longer than the test: every pass after the first is caused by a notification. */
  private static final Duration INTERVAL = Duration.ofHours(1);

  private static final Duration LOCK_RETRY = Duration.ofMillis(200);
  private static RegistryDatabase db;
  private static TemporalFixture temporal;
  private static StackEndpoints endpoints;

  @BeforeAll
  static void start(StackEndpoints stack) {
    endpoints = stack;
    db = new RegistryDatabase(stack, "registry_leader");
    temporal = new TemporalFixture(stack, "sched-it-leader");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  /** One scheduler replica: its own lock pool, its own call counter, its own thread. */
  @SuppressWarnings("try") // close() waits for the replica's thread, so it may be interrupted
  private static final class Replica implements AutoCloseable {
    final String name;
    final ScheduleCallCounter counter = new ScheduleCallCounter();
    final HikariDataSource lockPool;
    final ReconcileService service;
    final Thread thread;
    final List<Instant[]> passes = new CopyOnWriteArrayList<>();
    final List<Boolean> leadership = new CopyOnWriteArrayList<>();

    Replica(String name) {
      this.name = name;
      DatabaseSettings s = db.settings;
      this.lockPool =
          Databases.pool(new DatabaseSettings(s.url(), s.user(), s.password(), 1), "lock-" + name);
      this.service =
          new ReconcileService(
              temporal.reconciler(
                  db, counter, Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity()),
              new LeaderLock(lockPool),
              INTERVAL,
              LOCK_RETRY,
              new ReconcileMetrics() {
                @Override
                public void pass(io.bptemporal.scheduler.reconcile.PassResult result) {
                  passes.add(
                      new Instant[] {
                        result.plan().at(), result.plan().at().plus(result.duration())
                      });
                }

                @Override
                public void leader(boolean leader) {
                  leadership.add(leader);
                }
              });
      this.thread = Thread.ofPlatform().name("scheduler-" + name).start(service::runUntilStopped);
    }

    @Override
    public void close() throws InterruptedException {
      service.requestStop();
      assertThat(service.awaitStopped(Duration.ofMinutes(1))).as(name + " stops").isTrue();
      lockPool.close();
    }
  }

  @Test
  void exactlyOneReconcilesAndLosingTheLeaderHandsOver() throws Exception {
    Replica a = new Replica("a");
    Replica b = null;
    try {
      await("a leads", a.service::isLeader);
      b = new Replica("b");
      db.registry.put(Rows.probe("leader-1", temporal.namespace, "{\"cron\": [\"0 1 1 1 *\"]}"));
      await("a creates leader-1 on the notification", () -> exists("leader-1"));
      // A window in which the standby must stay standby and do nothing: there is no condition to
      // wait for.
      Thread.sleep(1_000); // b keeps trying the lock meanwhile
      assertThat(b.service.isLeader()).isFalse();
      assertThat(b.service.passes()).as("passes of the standby").isZero();
      assertThat(b.counter.snapshot()).as("Temporal calls of the standby").isEmpty();
      assertThat(a.service.passes()).isGreaterThanOrEqualTo(2);

      int transitions = a.leadership.size();
      terminateLockHolder();
      // a may win the lock right back (both retry every 200 ms): what matters is that it stepped
      // down.
      await(
          "a notices it lost the lock",
          () -> a.leadership.subList(transitions, a.leadership.size()).contains(false));
      Replica second = b;
      await("one of the two leads again", () -> a.service.isLeader() || second.service.isLeader());
      Replica leader = a.service.isLeader() ? a : b;
      Replica standby = leader == a ? b : a;
      System.out.println("after a's session was killed, " + leader.name + " leads");
      long standbyPasses = standby.service.passes();
      db.registry.put(Rows.probe("leader-2", temporal.namespace, "{\"cron\": [\"0 2 1 1 *\"]}"));
      await(leader.name + " creates leader-2", () -> exists("leader-2"));
      assertThat(standby.service.passes())
          .as(standby.name + " reconciles no more")
          .isEqualTo(standbyPasses);

      Instant stopping = Instant.now();
      leader.close();
      await(standby.name + " leads after " + leader.name + " stopped", standby.service::isLeader);
      System.out.println(
          "hand-over after a graceful stop of the leader took "
              + Duration.between(stopping, Instant.now()).toMillis()
              + " ms");
      db.sql("delete from activity_definition");
      await(
          standby.name + " deletes both schedules",
          () -> !exists("leader-1") && !exists("leader-2"));
      assertNoOverlappingPasses(a, b);
    } finally {
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  private static void assertNoOverlappingPasses(Replica a, Replica b) {
    for (Instant[] x : a.passes) {
      for (Instant[] y : b.passes) {
        assertThat(x[1].isBefore(y[0]) || y[1].isBefore(x[0]))
            .as("pass of a %s-%s overlaps pass of b %s-%s", x[0], x[1], y[0], y[1])
            .isTrue();
      }
    }
  }

  private static void terminateLockHolder() throws Exception {
    try (Connection admin = endpoints.postgres().connect(db.name);
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
                    + " and granted and ((classid::bigint << 32) | objid::bigint) = "
                    + LeaderLock.KEY)) {
      assertThat(rs.next()).as("someone holds the lock").isTrue();
    }
  }

  private static boolean exists(String id) {
    return temporal.scheduleExists(id);
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
