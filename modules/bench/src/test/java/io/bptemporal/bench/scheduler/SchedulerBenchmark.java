package io.bptemporal.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.bench.report.BenchSummary;
import io.bptemporal.bench.report.Summary;
import io.bptemporal.bench.report.Target;
import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.devstack.NamespaceRegistrar;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.bptemporal.scheduler.cli.ReconcilerWiring;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.bptemporal.scheduler.temporal.TemporalSchedules;
import io.grpc.StatusRuntimeException;
import io.temporal.client.schedules.ScheduleClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18, item 3 ({@code make bench}; never part of {@code make test}): the scheduler at 1,000
 * registry rows, on the dev stack, with the reconciler wired as the scheduler process wires it
 * ({@code SchedulerProcess}: counted schedule clients, the namespace probe, row checks, the missed-
 * run compressor), in a namespace of its own:
 *
 * <ol>
 *   <li><b>converge</b>: 1,000 new rows, one pass from empty — wall time of the pass and the
 *       schedule RPCs it made (the scheduler's own {@link ScheduleCallCounter}); then, reported
 *       apart, how long until the server's listing shows all of them and a plan is empty;
 *   <li><b>no change</b>: a pass over the 1,000 unchanged rows, {@code bp.bench.rounds} times —
 *       wall time and write calls (must be 0);
 *   <li><b>100 changed</b>: the input of 100 rows changed, one pass, {@code bp.bench.rounds} times.
 * </ol>
 *
 * <p>The rows fire once a year, so the schedules cost the server nothing afterwards. Writes
 * target/bench/scheduler.json; no timed assertion, only that every pass did what it should. {@code
 * -Dbp.bench.scheduler.rows=100 -Dbp.bench.scheduler.changed=10} is a smoke run.
 */
@ExtendWith({DevStackExtension.class, BenchSummary.class})
class SchedulerBenchmark {
  private static final int ROWS = Integer.getInteger("bp.bench.scheduler.rows", 1_000);
  private static final int CHANGED = Integer.getInteger("bp.bench.scheduler.changed", 100);
  private static final int ROUNDS = Integer.getInteger("bp.bench.rounds", 3);
  // A type no worker polls: the schedules only exist, as in NoChangePassIT. RunActivityWorkflow
  // would have its input checked against RunActivityRequest, which is not what is measured here.
  private static final String WORKFLOW = "SchedulerBenchWorkflow";
  private static final double CONVERGE_LIMIT_S = 60;
  private static final double NO_CHANGE_LIMIT_S = 5;
  // A bound, not a delay: 1,000 new schedules were seen to keep the visibility store of a loaded
  // 2-core machine behind for over five minutes (NoChangePassIT).
  private static final Duration LISTING_WITHIN = Duration.ofMinutes(10);

  @Test
  void aThousandRowsConvergeAndAnUnchangedPassWritesNothing(StackEndpoints stack) throws Exception {
    Path out = Path.of(System.getProperty("bp.bench.output.dir", "target/bench"));
    String name = "registry_bench";
    String url = stack.postgres().freshDatabase(name, name, "pw");
    String namespace = "bench-scheduler-" + UUID.randomUUID().toString().substring(0, 8);
    try (HikariDataSource pool = Databases.pool(new DatabaseSettings(url, name, "pw", 4), name);
        TemporalConnection connection =
            TemporalConnection.open(
                new TemporalSettings(
                    stack.temporalAddress(),
                    namespace,
                    "unused",
                    Optional.empty(),
                    Optional.empty()),
                Optional.empty())) {
      RegistrySchema.migrate(pool);
      new NamespaceRegistrar(connection.stubs())
          .ensure(
              List.of(new NamespaceSpec(namespace, Duration.ofDays(1))), Duration.ofSeconds(30));
      ScheduleCallCounter counter = new ScheduleCallCounter();
      ActivityRegistry registry = new ActivityRegistry(pool);
      ScheduleReconciler reconciler =
          ReconcilerWiring.reconciler(
              registry,
              connection,
              TemporalSchedules.counted(connection, counter),
              new RowChecks(Set.of(namespace), Optional.of(Set.of(WORKFLOW))),
              counter);
      ScheduleClient listing = connection.scheduleClient(namespace, "scheduler-benchmark");

      // Yearly, at minutes spread over the hour: schedules that never fire during the run.
      sql(
          pool,
          """
          insert into activity_definition (activity_id, namespace, workflow_type, task_queue, input, trigger, owner)
          select 'bench-' || lpad(n::text, 5, '0'), '%s', '%s', 'bench-scheduler-tq', jsonb_build_object('n', n),
                 jsonb_build_object('cron', jsonb_build_array((n %% 60) || ' 3 1 1 *')), 'team-bench'
          from generate_series(1, %d) as n"""
              .formatted(namespace, WORKFLOW, ROWS));

      counter.reset();
      PassResult converge = reconciler.apply();
      System.out.println("  converge, " + ROWS + " rows: " + converge.summary());
      assertThat(converge.count(Step.Create.class))
          .as("schedules created; a status: %s", registry.statuses().values().stream().findFirst())
          .isEqualTo(ROWS);
      assertThat(converge.failed()).isEmpty();
      long rpcs = converge.calls().values().stream().mapToLong(Long::longValue).sum();

      long listingStart = System.nanoTime();
      awaitSettled(reconciler, listing);
      double settledSeconds = (System.nanoTime() - listingStart) / 1e9;

      List<PassResult> quiet = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        counter.reset();
        PassResult pass = reconciler.apply();
        System.out.println("  no-change pass " + round + ": " + pass.summary());
        assertThat(pass.applied()).isEmpty();
        quiet.add(pass);
      }
      List<PassResult> changed = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        sql(
            pool,
            """
            update activity_definition set input = jsonb_build_object('n', %d, 'round', %d)
            where activity_id in (select activity_id from activity_definition order by activity_id limit %d)"""
                .formatted(round, round, CHANGED));
        counter.reset();
        PassResult pass = reconciler.apply();
        System.out.println(
            "  " + CHANGED + " changed rows, round " + round + ": " + pass.summary());
        assertThat(pass.count(Step.Update.class)).isEqualTo(CHANGED);
        assertThat(pass.failed()).isEmpty();
        changed.add(pass);
        awaitSettled(reconciler, listing);
      }

      String machine =
          String.format(
              Locale.ROOT,
              "%,d rows (%,d changed), %d rounds of the unchanged and changed passes, stack from %s, %s",
              ROWS,
              CHANGED,
              ROUNDS,
              stack.provider(),
              Summary.machine());
      double convergeSeconds = seconds(converge);
      double quietMedian =
          median(quiet.stream().mapToDouble(SchedulerBenchmark::seconds).toArray());
      long quietWrites = quiet.stream().mapToLong(PassResult::writes).max().orElseThrow();
      double changedMedian =
          median(changed.stream().mapToDouble(SchedulerBenchmark::seconds).toArray());
      List<Target> targets =
          List.of(
              Target.atMost(
                  "scheduler",
                  String.format(Locale.ROOT, "converge %,d rows from empty (one pass)", ROWS),
                  convergeSeconds,
                  "s",
                  CONVERGE_LIMIT_S,
                  rpcs + " schedule RPCs, " + converge.writes() + " writes"),
              Target.reported(
                  "scheduler",
                  "  then until listed by the server, plan empty",
                  settledSeconds,
                  "s",
                  "the visibility store's lag, not the scheduler's work"),
              Target.atMost(
                  "scheduler",
                  String.format(Locale.ROOT, "no-change pass over %,d rows (median)", ROWS),
                  quietMedian,
                  "s",
                  NO_CHANGE_LIMIT_S,
                  ""),
              Target.atMost(
                  "scheduler",
                  "no-change pass: write calls (most of rounds)",
                  quietWrites,
                  "writes",
                  0,
                  ""),
              Target.reported(
                  "scheduler",
                  String.format(Locale.ROOT, "%d changed rows, one pass (median)", CHANGED),
                  changedMedian,
                  "s",
                  ""));
      String table = table(machine, converge, rpcs, settledSeconds, quiet, changed);
      System.out.print(table);
      Files.createDirectories(out);
      Files.writeString(out.resolve("scheduler.txt"), table);
      Path json = out.resolve("scheduler.json");
      Summary.writeJson(json, json(machine, targets, converge, settledSeconds, quiet, changed));
      System.out.println("  wrote " + json.toAbsolutePath());
      BenchSummary.record(targets);
    }
  }

  /**
   * Until the server lists every schedule and a plan has nothing to do: the state a pass without
   * changes starts from in production.
   */
  private static void awaitSettled(ScheduleReconciler reconciler, ScheduleClient listing) {
    Awaitility.await("all " + ROWS + " schedules listed")
        .atMost(LISTING_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(() -> listing.listSchedules(null, 2 * ROWS).count() == ROWS);
    Awaitility.await("a plan without changes")
        .atMost(LISTING_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(() -> reconciler.plan().changes().isEmpty());
  }

  private static String table(
      String machine,
      PassResult converge,
      long rpcs,
      double settledSeconds,
      List<PassResult> quiet,
      List<PassResult> changed) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nSCHEDULER BENCHMARK: %s%n", machine));
    String row = "%-44s %10s %10s %8s  %s%n";
    out.append(String.format(Locale.ROOT, row, "pass", "seconds", "RPCs", "writes", "calls"));
    out.append(line(row, "converge from empty", converge, rpcs));
    out.append(
        String.format(
            Locale.ROOT,
            "%-44s %10.2f%n",
            "  then until listed and a plan is empty",
            settledSeconds));
    for (int i = 0; i < quiet.size(); i++) {
      PassResult p = quiet.get(i);
      out.append(line(row, "no change, round " + i, p, total(p)));
    }
    for (int i = 0; i < changed.size(); i++) {
      PassResult p = changed.get(i);
      out.append(line(row, CHANGED + " changed, round " + i, p, total(p)));
    }
    return out.toString();
  }

  private static String line(String row, String what, PassResult pass, long rpcs) {
    return String.format(
        Locale.ROOT,
        row,
        what,
        String.format(Locale.ROOT, "%.2f", seconds(pass)),
        rpcs,
        pass.writes(),
        pass.calls());
  }

  private static ObjectNode json(
      String machine,
      List<Target> targets,
      PassResult converge,
      double settledSeconds,
      List<PassResult> quiet,
      List<PassResult> changed) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("benchmark", "scheduler: converge, no-change pass, changed rows");
    root.put("machine", machine);
    root.put("rows", ROWS);
    root.put("changed_rows", CHANGED);
    root.set("summary", Summary.json(targets));
    root.set("converge", pass(converge));
    root.put("listed_and_plan_empty_after_seconds", Summary.round3(settledSeconds));
    ArrayNode q = root.putArray("no_change_passes");
    quiet.forEach(p -> q.add(pass(p)));
    ArrayNode c = root.putArray("changed_passes");
    changed.forEach(p -> c.add(pass(p)));
    return root;
  }

  private static ObjectNode pass(PassResult pass) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("seconds", Summary.round3(seconds(pass)));
    n.put("rpcs", total(pass));
    n.put("writes", pass.writes());
    n.put("applied", pass.applied().size());
    ObjectNode calls = n.putObject("calls");
    pass.calls().forEach(calls::put);
    return n;
  }

  private static long total(PassResult pass) {
    return pass.calls().values().stream().mapToLong(Long::longValue).sum();
  }

  private static double seconds(PassResult pass) {
    return pass.duration().toNanos() / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void sql(HikariDataSource pool, String statement) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
