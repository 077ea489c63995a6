package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registry rows in sync with their schedules: a pass makes zero write calls, describes nothing and
 * lists each namespace once. The property does not depend on the number of rows; 200 keep it clear
 * of what the two-core CI machine can take while other tests run (1,000 new schedules kept the
 * visibility store behind for more than five minutes there). The 1,000-row scale — converge time
 * and the no-change pass — is measured by {@code make bench}.
 */
@ExtendWith(DevStackExtension.class)
class NoChangePassIT {
  private static final int ROWS = 200;
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_bulk");
    temporal = new TemporalFixture(stack, "sched-it-bulk");
  }

  @AfterAll
  static void stop() {
    // The 1,000 schedules stay in this test's own namespace: they fire once a year, so they cost
    // the server
    // nothing while the other tests of this JVM run, and the stack goes away with the JVM.
    temporal.close();
    db.close();
  }

  @Test
  void aPassOverAThousandUnchangedRowsWritesNothing() {
    // Yearly, at a random-looking minute: 1,000 schedules that never fire during the test.
    db.sql(
        """
        insert into activity_definition (activity_id, namespace, workflow_type, task_queue, input, trigger, owner)
        select 'bulk-' || lpad(n::text, 4, '0'), '%s', '%s', '%s', jsonb_build_object('n', n),
               jsonb_build_object('cron', jsonb_build_array((n %% 60) || ' 3 1 1 *')), 'team-scheduler-it'
        from generate_series(1, %d) as n"""
            .formatted(temporal.namespace, Rows.PROBE_WORKFLOW, Rows.PROBE_QUEUE, ROWS));
    ScheduleCallCounter counter = new ScheduleCallCounter();
    ScheduleReconciler reconciler =
        temporal.reconciler(db, counter, Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity());

    PassResult first = reconciler.apply();
    System.out.println("first pass, " + ROWS + " rows: " + first.summary());
    assertThat(first.count(Step.Create.class)).isEqualTo(ROWS);
    assertThat(first.failed()).isEmpty();

    // ListSchedules reads the visibility store, which shows new schedules a while after their
    // creation (over a
    // minute on a loaded machine). Wait for the listing itself: planning meanwhile would describe
    // every unlisted
    // schedule each time and add to the load it waits out.
    Rows.awaitVisibility("all " + ROWS + " schedules listed")
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> temporal.schedules().listSchedules(null, 2 * ROWS).count() == ROWS);
    Plan settled = reconciler.plan();
    assertThat(settled.changes()).as("a plan right after applying everything").isEmpty();
    assertThat(settled.count(Step.Keep.class)).isEqualTo(ROWS);

    counter.reset();
    PassResult quiet = reconciler.apply();
    System.out.println(
        "NO-CHANGE PASS over "
            + ROWS
            + " rows: "
            + quiet.duration().toMillis()
            + " ms, calls "
            + quiet.calls()
            + " -> "
            + quiet.summary());
    assertThat(quiet.writes()).as("write calls in a pass without changes").isZero();
    assertThat(counter.writes()).isZero();
    assertThat(counter.count("DescribeSchedule"))
        .as("describes in a pass without changes")
        .isZero();
    assertThat(counter.count("ListSchedules")).isEqualTo(1);
    assertThat(quiet.applied()).isEmpty();
    assertThat(quiet.drift()).isZero();
  }
}
