package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.FaultMatrix;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.store.RowStatus;
import io.bptemporal.scheduler.SchedulerMain;
import io.bptemporal.scheduler.cli.SchedulerCommands;
import io.temporal.client.schedules.ScheduleListDescription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite, scenario "scheduler" (issue 19, docs/reliability.md; {@code make faults}): {@code
 * scheduler run} as its own process (a pass every 2 s and on every registry change) keeps a
 * registry in PostgreSQL and the Temporal Schedules of a namespace equal while
 *
 * <ol>
 *   <li>the Temporal server is stopped for 60 s, during which the registry changes (new rows, a
 *       changed trigger, paused and disabled rows) and passes go on: each fails with the cause in
 *       the log, {@code scheduler apply} exits 1 naming it, {@code /readyz} answers 503, no row's
 *       status claims a change that did not reach Temporal; once the server is back everything
 *       converges;
 *   <li>PostgreSQL — the registry database's server, which in the dev stack is also Temporal's — is
 *       restarted while a pass applies a bulk change (the first of its schedule changes has been
 *       made); the scheduler loses its leader lock with the session, takes it again and converges.
 * </ol>
 *
 * Converged: every row's status is OK for the row's version, {@code scheduler plan} has nothing to
 * do (drift 0), and the namespace lists exactly one schedule per enabled row (no duplicate, no
 * orphan). Counted: faults, schedules, rows not converged by the deadline (lost), schedules beyond
 * one per enabled row (duplicated).
 */
@ExtendWith(DevStackExtension.class)
class SchedulerFaultsIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  // The length of the Temporal outage the issue asks for: a deliberate fault window, not a wait for
  // a condition; the passes during it are what is tested.
  private static final Duration TEMPORAL_OUTAGE = Duration.ofSeconds(60);
  private static final Duration CONVERGE_LIMIT = Duration.ofMinutes(3);
  private static final Duration READY = Duration.ofSeconds(90);
  private static final Pattern PLAN_STEP = Pattern.compile("^[+~!-] (?:[^/ ]+/)?([^ ]+)");
  private static final Pattern PLAN_SUMMARY =
      Pattern.compile(
          "Plan: (\\d+) to create, (\\d+) to update, (\\d+) to pause, (\\d+) to unpause, (\\d+) to"
              + " delete; (\\d+) invalid, (\\d+) failed");

  // The whole scenario's bound (every wait inside has its own): a hung run fails the suite instead
  // of holding CI.
  @Test
  @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
  void passesFailClearlyWhileTemporalIsDownAndEverythingConvergesAfterItAndAfterARegistryRestart(
      StackEndpoints stack, DevStack devStack) throws Exception {
    assumeTrue(
        devStack.config().existingPostgres().isEmpty()
            && devStack.config().existingTemporal().isEmpty(),
        "skipped: this scenario stops the Temporal server and PostgreSQL, which needs the dev"
            + " stack's own");
    long t0 = System.nanoTime();
    long seed = Long.getLong("bp.faults.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println(
        "fault suite: scheduler seed="
            + seed
            + " (repeat the fault plan with -Dbp.faults.seed="
            + seed
            + ")");
    RegistryDatabase db = new RegistryDatabase(stack, "registry_faults");
    TemporalFixture temporal = new TemporalFixture(stack, "sched-faults");
    String ns = temporal.namespace;
    temporal
        .schedules()
        .listSchedules(null, 1000)
        .forEach(s -> temporal.schedules().getHandle(s.getScheduleId()).delete());
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("DB_URL", db.settings.url());
    env.put("DB_USER", db.settings.user());
    env.put("DB_PASSWORD", db.settings.password());
    env.put("SCHEDULER_NAMESPACES", ns);
    env.put("SCHEDULER_WORKFLOW_TYPES", Rows.PROBE_WORKFLOW);
    env.put("LOG_FORMAT", "text");
    Map<String, String> service = new HashMap<>(env);
    service.put("SCHEDULER_RECONCILE_INTERVAL", "2s");
    service.put("SCHEDULER_LOCK_RETRY_INTERVAL", "1s");
    Path log = Files.createDirectories(Path.of("target/faults")).resolve("scheduler-run.log");
    Files.deleteIfExists(log);
    WorkerProcess scheduler =
        WorkerProcess.start(
            "scheduler-faults",
            WorkerProcess.moduleCommand(
                Path.of("").toAbsolutePath(),
                SchedulerMain.class.getName(),
                List.of("--enable-native-access=ALL-UNNAMED")),
            service,
            log);
    List<String> faultLog = new ArrayList<>();
    Map<String, Integer> injected = new LinkedHashMap<>();
    try {
      scheduler.awaitReady(READY);
      insertRows(db, ns, "fault-a-", 60, 1);
      Convergence initial = awaitConverged(db, temporal, env, "the first 60 rows", scheduler);
      System.out.println("before the faults: " + initial);

      // Fault 1: the Temporal server stopped for 60 s while the registry changes and passes go on.
      int failedBefore = scheduler.linesContaining("reconcile pass failed").size();
      long stopped = System.nanoTime();
      devStack.stopTemporalServer();
      insertRows(db, ns, "fault-o-", 20, 2);
      db.sql(
          "update activity_definition set trigger = '{\"cron\": [\"17 5 * * *\"]}'"
              + " where activity_id between 'fault-a-001' and 'fault-a-010'");
      db.sql(
          "update activity_definition set paused = true"
              + " where activity_id between 'fault-a-011' and 'fault-a-015'");
      db.sql(
          "update activity_definition set enabled = false"
              + " where activity_id between 'fault-a-016' and 'fault-a-020'");
      Set<String> changedInOutage = new TreeSet<>();
      db.registry.rows().stream()
          .filter(r -> r.version() > 1 || r.activityId().startsWith("fault-o-"))
          .forEach(r -> changedInOutage.add(r.activityId()));
      Awaitility.await("a pass fails while Temporal is down")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> scheduler.linesContaining("reconcile pass failed").size(),
              n -> n > failedBefore);
      Run apply = scheduler(env, "apply");
      int readyz = status(scheduler, "/readyz");
      // The rest of the outage window (fixed: see TEMPORAL_OUTAGE).
      long left = TEMPORAL_OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000;
      Thread.sleep(Math.max(0, left));
      Run applyLate = scheduler(env, "apply");
      List<String> failedPasses =
          scheduler.linesContaining("reconcile pass failed").stream().skip(failedBefore).toList();
      Map<String, RowStatus> statusesInOutage = db.statuses();
      List<String> falseOk =
          db.registry.rows().stream()
              .filter(r -> changedInOutage.contains(r.activityId()))
              .filter(r -> isOk(statusesInOutage.get(r.activityId()), r))
              .map(RegistryRow::activityId)
              .toList();
      long outageMillis = (System.nanoTime() - stopped) / 1_000_000;
      devStack.startTemporalServer();
      long back = System.nanoTime();
      injected.put("temporal outages", 1);
      faultLog.add(
          String.format(
              "fault 1 at %5.1f s: Temporal server stopped for %d ms; meanwhile 20 rows added, 10"
                  + " triggers changed, 5 paused, 5 disabled; %d passes failed, e.g. %s;"
                  + " scheduler apply exited %d: %s; /readyz answered %d",
              (stopped - t0) / 1e9,
              outageMillis,
              failedPasses.size(),
              failedPasses.isEmpty() ? "(none)" : afterMarker(failedPasses.getFirst()),
              apply.code(),
              firstLine(apply.err()),
              readyz));
      System.out.println(faultLog.getLast());
      Convergence afterTemporal =
          awaitConverged(db, temporal, env, "after the Temporal outage", scheduler);
      double temporalRecovery = (System.nanoTime() - stopped) / 1e9;
      double temporalAfterBack = (System.nanoTime() - back) / 1e9;
      System.out.println(
          String.format(
              "fault 1: converged %.1f s after the server was back (%.1f s after the stop): %s",
              temporalAfterBack, temporalRecovery, afterTemporal));

      // Fault 2: PostgreSQL restarted while a pass applies a bulk change: 60 new rows and a new
      // trigger for every enabled row, in one transaction (one notification, one pass).
      Pattern change = Pattern.compile(" (created|updated) " + Pattern.quote(ns) + "/");
      int changesBefore = changeLines(scheduler, change);
      try (Connection c = db.pool.getConnection();
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute(insertRowsSql(ns, "fault-p-", 60, 3));
        s.execute(
            "update activity_definition set trigger = '{\"cron\": [\"29 6 * * *\"]}'"
                + " where enabled");
        c.commit();
      }
      // Every enabled row changes: created (the new ones) or updated (a new trigger).
      int planned = (int) db.registry.rows().stream().filter(RegistryRow::enabled).count();
      Awaitility.await("the pass of the bulk change makes its first schedule change")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> changeLines(scheduler, change) > changesBefore);
      long pgStopped = System.nanoTime();
      int changesAtTrigger = changeLines(scheduler, change) - changesBefore;
      devStack.stopPostgres();
      int changesAtStop = changeLines(scheduler, change) - changesBefore;
      long downFor = 3_000 + random.nextInt(3_000);
      // How long PostgreSQL stays down comes from the seed: a fault window, not a condition.
      Thread.sleep(downFor);
      devStack.startPostgres();
      long behind =
          Awaitility.await("the registry answers again")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .ignoreExceptions()
              .until(() -> statusesBehind(db), n -> n >= 0);
      injected.put("postgres restarts", 1);
      faultLog.add(
          String.format(
              "fault 2 at %5.1f s: PostgreSQL (registry and Temporal databases) stopped %d"
                  + " schedule change(s) into the pass of %d (%d when the stop began), down %d ms,"
                  + " started again; %d rows' statuses then behind their row",
              (pgStopped - t0) / 1e9, changesAtStop, planned, changesAtTrigger, downFor, behind));
      System.out.println(faultLog.getLast());
      Convergence afterPostgres =
          awaitConverged(db, temporal, env, "after the PostgreSQL restart", scheduler);
      double postgresRecovery = (System.nanoTime() - pgStopped) / 1e9;
      System.out.println(
          String.format(
              "fault 2: converged %.1f s after the stop: %s", postgresRecovery, afterPostgres));

      Convergence last = converge(db, temporal, env);
      String metrics = get(scheduler, "/metrics");
      Matcher drift =
          Pattern.compile("(?m)^bp_scheduler_drift_schedules\\{[^}]*} ([0-9.]+)$").matcher(metrics);
      double driftAfter = drift.find() ? Double.parseDouble(drift.group(1)) : -1;
      scheduler.sigterm();
      int exit = scheduler.awaitExit(Duration.ofSeconds(30));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println(
          """

          ==== fault suite: scheduler (seed %d) ====
          %s
          fault 1 (temporal_outage): converged %.1f s after the server was back, %.1f s after the stop
          fault 2 (postgres_restart): converged %.1f s after the stop
          during the outage: %d passes failed; scheduler apply exited %d and %d:
            %s
          after the faults: %s; bp_scheduler_drift_schedules %s
          scheduler run stopped by SIGTERM with exit status %d; log %s
          """
              .formatted(
                  seed,
                  String.join("\n", faultLog),
                  temporalAfterBack,
                  temporalRecovery,
                  postgresRecovery,
                  failedPasses.size(),
                  apply.code(),
                  applyLate.code(),
                  firstLine(apply.err()),
                  last,
                  driftAfter,
                  exit,
                  log.toAbsolutePath()));
      FaultMatrix.record(
          FaultMatrix.line(
              "scheduler",
              injected,
              last.enabled(),
              last.notConverged().size(),
              last.duplicated(),
              Math.max(temporalRecovery, postgresRecovery),
              seconds));

      assertThat(failedPasses)
          .as("passes went on and failed while Temporal was down")
          .hasSizeGreaterThanOrEqualTo(5)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .contains(
                          "reconcile pass failed: Temporal at " + stack.temporalAddress(),
                          "UNAVAILABLE",
                          "no schedule and no status was changed"));
      assertThat(apply.code()).as("scheduler apply's exit code while Temporal is down").isOne();
      assertThat(apply.err())
          .as("scheduler apply names the cause")
          .contains(
              "scheduler apply failed: Temporal at " + stack.temporalAddress() + " did not answer",
              "UNAVAILABLE");
      assertThat(applyLate.code()).isOne();
      assertThat(readyz).as("/readyz while Temporal is down").isEqualTo(503);
      assertThat(falseOk)
          .as("rows whose status claimed a change applied while Temporal was down")
          .isEmpty();
      assertThat(changesAtStop)
          .as("PostgreSQL stopped in the middle of the pass (its %d changes not all made)", planned)
          .isLessThan(planned);
      assertThat(last.notConverged()).as("rows not converged").isEmpty();
      assertThat(last.planChanges()).as("scheduler plan after the faults (drift)").isZero();
      assertThat(last.duplicated()).as("schedules beyond one per enabled row").isZero();
      assertThat(last.missing()).as("enabled rows without a listed schedule").isEmpty();
      assertThat(driftAfter).as("bp_scheduler_drift_schedules").isZero();
      assertThat(exit).as("exit status after SIGTERM").isZero();
    } finally {
      scheduler.close();
      temporal.close();
      db.close();
    }
  }

  /** The state of registry and schedules, as the checks of convergence see it. */
  private record Convergence(
      int enabled,
      Set<String> notConverged,
      int planChanges,
      String planSummary,
      int listed,
      long duplicated,
      Set<String> missing) {
    boolean done() {
      return notConverged.isEmpty() && planChanges == 0 && duplicated == 0 && missing.isEmpty();
    }

    @Override
    public String toString() {
      return String.format(
          "%d enabled rows, %d schedules listed, %d rows not converged%s, %d duplicate or orphan"
              + " schedules, %d enabled rows not listed; scheduler plan: %s",
          enabled,
          listed,
          notConverged.size(),
          notConverged.isEmpty() ? "" : " " + notConverged,
          duplicated,
          missing.size(),
          planSummary);
    }
  }

  private static Convergence converge(
      RegistryDatabase db, TemporalFixture temporal, Map<String, String> env) {
    List<RegistryRow> rows = db.registry.rows();
    Map<String, RowStatus> statuses = db.statuses();
    Set<String> notConverged = new TreeSet<>();
    rows.stream()
        .filter(r -> !isOk(statuses.get(r.activityId()), r))
        .forEach(r -> notConverged.add(r.activityId()));
    Run plan = scheduler(env, "plan");
    if (plan.code() != 0) {
      throw new IllegalStateException("scheduler plan exited " + plan.code() + ": " + plan.err());
    }
    int planChanges = 0;
    String summary = "(none)";
    for (String line : plan.out().lines().toList()) {
      Matcher step = PLAN_STEP.matcher(line);
      if (step.find() && !line.startsWith("! route")) {
        notConverged.add(step.group(1));
      }
      Matcher m = PLAN_SUMMARY.matcher(line);
      if (m.find()) {
        summary = line;
        for (int i = 1; i <= 7; i++) {
          planChanges += Integer.parseInt(m.group(i));
        }
      }
    }
    Set<String> enabled =
        rows.stream()
            .filter(RegistryRow::enabled)
            .map(RegistryRow::activityId)
            .collect(Collectors.toCollection(TreeSet::new));
    List<String> listed =
        temporal
            .schedules()
            .listSchedules(null, 1000)
            .map(ScheduleListDescription::getScheduleId)
            .toList();
    Set<String> distinct = new TreeSet<>(listed);
    long orphans = distinct.stream().filter(id -> !enabled.contains(id)).count();
    Set<String> missing = new TreeSet<>(enabled);
    missing.removeAll(distinct);
    return new Convergence(
        enabled.size(),
        notConverged,
        planChanges,
        summary,
        listed.size(),
        listed.size() - distinct.size() + orphans,
        missing);
  }

  private static Convergence awaitConverged(
      RegistryDatabase db,
      TemporalFixture temporal,
      Map<String, String> env,
      String what,
      WorkerProcess scheduler) {
    try {
      return Awaitility.await("registry and schedules converge " + what)
          .atMost(CONVERGE_LIMIT)
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> converge(db, temporal, env), Convergence::done);
    } catch (ConditionTimeoutException e) {
      Convergence now;
      try {
        now = converge(db, temporal, env);
      } catch (RuntimeException again) {
        now = null;
      }
      throw new AssertionError(
          e.getMessage()
              + "; now: "
              + now
              + "; scheduler output (last lines):\n"
              + String.join("\n", tail(scheduler.lines(), 40)),
          e);
    }
  }

  private static boolean isOk(RowStatus status, RegistryRow row) {
    return status != null
        && status.status() == ReconcileStatus.OK
        && status.definitionVersion() == row.version();
  }

  /** Rows whose status is missing or about an older version of the row. */
  private static long statusesBehind(RegistryDatabase db) {
    Map<String, RowStatus> statuses = db.statuses();
    return db.registry.rows().stream()
        .filter(
            r ->
                statuses.get(r.activityId()) == null
                    || statuses.get(r.activityId()).definitionVersion() != r.version())
        .count();
  }

  /** {@code count} probe rows {@code <prefix>001…}, in one statement (one notification). */
  private static void insertRows(
      RegistryDatabase db, String ns, String prefix, int count, int hour) {
    db.sql(insertRowsSql(ns, prefix, count, hour));
  }

  private static String insertRowsSql(String ns, String prefix, int count, int hour) {
    return """
        insert into activity_definition (activity_id, namespace, workflow_type, task_queue, input,
                                         trigger, owner)
        select '%s' || lpad(i::text, 3, '0'), '%s', '%s', '%s', '{"greeting": "hello"}',
               jsonb_build_object('cron', jsonb_build_array((i %% 60) || ' %d * * *')),
               'team-scheduler-faults'
          from generate_series(1, %d) i
        """
        .formatted(prefix, ns, Rows.PROBE_WORKFLOW, Rows.PROBE_QUEUE, hour, count);
  }

  private static int changeLines(WorkerProcess scheduler, Pattern change) {
    return (int) scheduler.lines().stream().filter(l -> change.matcher(l).find()).count();
  }

  private record Run(int code, String out, String err) {}

  /** A one-shot command ({@code plan}, {@code apply}) as an operator runs it. */
  private static Run scheduler(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> quiet = new HashMap<>(env);
    quiet.put("LOG_LEVEL", "WARN");
    int code =
        SchedulerCommands.run(
            args,
            Environment.of(quiet::get),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static int status(WorkerProcess process, String path) throws IOException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(process.managementUri().resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String get(WorkerProcess process, String path) throws IOException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(process.managementUri().resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String afterMarker(String line) {
    int at = line.indexOf("reconcile pass failed");
    return at < 0 ? line : line.substring(at);
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("(nothing)");
  }

  private static List<String> tail(List<String> lines, int n) {
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }
}
