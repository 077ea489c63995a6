package io.bptemporal.scheduler.cli;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.OverlapPolicy;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.observability.Telemetry;
import io.bptemporal.observability.health.ReadinessChecks;
import io.bptemporal.observability.logging.Logging;
import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.process.ProcessLifecycle;
import io.bptemporal.scheduler.compress.TriggerTimes;
import io.bptemporal.scheduler.config.SchedulerSettings;
import io.bptemporal.scheduler.plan.DescribedSchedule;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.PlanPrinter;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.scheduler.run.PlatformReconcileMetrics;
import io.bptemporal.scheduler.run.ReconcileService;
import io.bptemporal.scheduler.seed.DevSeed;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The subcommands of {@link io.bptemporal.scheduler.SchedulerMain}; each returns the process exit code. */
public final class SchedulerCommands {
  private static final Logger log = LoggerFactory.getLogger(SchedulerCommands.class);

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT = """
      usage: scheduler [command]
        run                                  reconcile on SCHEDULER_RECONCILE_INTERVAL and on registry changes,
                                             while holding the leader lock (the default without a command)
        plan                                 print what apply would change (+ create, ~ update, - delete,
                                             ! invalid rows); changes nothing
        apply                                one reconcile pass, then print what it did
        backfill <activity_id> <from> <to> [--overlap POLICY]
                                             ask Temporal to start the runs the row's schedule would have
                                             started between two RFC 3339 times (default overlap BUFFER_ALL)
        seed [dev]                           insert the dev seed rows that are missing
        migrate                              bring the registry tables to the current schema
      configuration: environment variables, see docs/scheduler.md#configuration""";

  private SchedulerCommands() {
  }

  public static int run(String[] args, Environment env, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "run" : args[0];
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
      out.println(USAGE_TEXT);
      return OK;
    }
    if (!List.of("run", "plan", "apply", "backfill", "seed", "migrate").contains(command)) {
      err.println("unknown command '" + command + "'");
      err.println(USAGE_TEXT);
      return USAGE;
    }
    SchedulerSettings settings;
    try {
      settings = SchedulerSettings.fromEnvironment(env);
    } catch (ConfigurationException e) {
      err.println("scheduler configuration is not valid:");
      e.problems().forEach(p -> err.println("  - " + p));
      return USAGE;
    }
    try {
      return switch (command) {
        case "run" -> runService(settings, rest, err);
        case "plan" -> plan(settings, rest, out, err);
        case "apply" -> apply(settings, rest, out, err);
        case "backfill" -> backfill(settings, rest, out, err);
        case "seed" -> seed(settings, rest, out, err);
        default -> migrate(settings, rest, out, err);
      };
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.println(USAGE_TEXT);
      return USAGE;
    } catch (RuntimeException e) {
      err.println("scheduler " + command + " failed: " + e);
      log.debug("scheduler {} failed", command, e);
      return FAILED;
    }
  }

  private static int runService(SchedulerSettings settings, List<String> args, PrintStream err) {
    noArguments("run", args);
    try (ProcessLifecycle lifecycle = ProcessLifecycle.start(settings.telemetry())) {
      Telemetry telemetry = lifecycle.telemetry();
      SchedulerProcess process = lifecycle.closeOnExit(new SchedulerProcess(settings,
          Optional.of(telemetry.temporalMetricsScope())));
      migrate(settings, process);
      settings.seed().ifPresent(seed -> DevSeed.insert(process.registry));
      ReconcileService service = new ReconcileService(process.reconciler, process.leaderLock(),
          settings.reconcileInterval(), settings.lockRetryInterval(),
          new PlatformReconcileMetrics(telemetry.platformMetrics(), telemetry.meterRegistry()));
      // A stop finishes the running pass, releases the leader lock and returns (exit 0).
      lifecycle.onStop(service::requestStop);
      lifecycle.installSignalHandlers();
      // Ready means able to reconcile if it became leader now: a standby is as ready as the leader. The checks
      // go in last: until then /readyz answers 503, so nothing treats a process still migrating (or one that
      // cannot yet stop gracefully) as ready.
      telemetry.health()
          .register(ReadinessChecks.databaseReachable(process.pool))
          .register(ReadinessChecks.temporalReachable(process.connection.stubs()));
      log.info("scheduler running: namespaces {}, interval {}, ready at {}", settings.namespaces(),
          settings.reconcileInterval(), telemetry.managementUri().resolve("/readyz"));
      service.runUntilStopped();
      return OK;
    }
  }

  private static int plan(SchedulerSettings settings, List<String> args, PrintStream out, PrintStream err) {
    noArguments("plan", args);
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      int pending = RegistrySchema.pending(process.pool);
      if (pending > 0) {
        err.println("the registry database has " + pending + " migration(s) to apply: run 'scheduler migrate' (or"
            + " apply/run, which migrate first)");
        return FAILED;
      }
      Plan plan = process.reconciler.plan();
      PlanPrinter.print(plan, out);
      return OK;
    }
  }

  private static int apply(SchedulerSettings settings, List<String> args, PrintStream out, PrintStream err) {
    noArguments("apply", args);
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      migrate(settings, process);
      PassResult result = process.reconciler.apply();
      PlanPrinter.print(result.plan(), out);
      result.failed().forEach((step, error) -> err.println("failed: " + step.key() + ": " + error));
      out.println(result.summary());
      return result.failed().isEmpty() ? OK : FAILED;
    }
  }

  private static int backfill(SchedulerSettings settings, List<String> args, PrintStream out, PrintStream err) {
    if (args.size() != 3 && !(args.size() == 5 && args.get(3).equals("--overlap"))) {
      throw new UsageException("backfill takes <activity_id> <from> <to> [--overlap POLICY]");
    }
    String activityId = args.get(0);
    Instant from = instant("from", args.get(1));
    Instant to = instant("to", args.get(2));
    if (!to.isAfter(from)) {
      throw new UsageException("backfill: <to> " + to + " is not after <from> " + from);
    }
    OverlapPolicy overlap = OverlapPolicy.BUFFER_ALL;
    if (args.size() == 5) {
      try {
        overlap = OverlapPolicy.valueOf(args.get(4).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("backfill: --overlap '" + args.get(4) + "' is not accepted: use one of "
            + Arrays.toString(OverlapPolicy.values()));
      }
    }
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      Optional<RegistryRow> row = process.registry.rows().stream()
          .filter(r -> r.activityId().equals(activityId)).findFirst();
      if (row.isEmpty()) {
        err.println("backfill: no registry row with activity_id '" + activityId + "'");
        return FAILED;
      }
      ValidationResult<ActivityDefinition> definition = ContractValidator.validateDefinition(
          row.get().toDefinitionDocument().toString());
      if (!definition.valid()) {
        err.println("backfill: row '" + activityId + "' is invalid, fix it first: " + definition.violations());
        return FAILED;
      }
      String namespace = row.get().namespace();
      Optional<DescribedSchedule> schedule = process.schedules.describe(namespace, activityId);
      if (schedule.isEmpty() || !schedule.get().owned()) {
        err.println("backfill: " + namespace + "/" + activityId + (schedule.isEmpty() ? " has no schedule yet (run"
            + " 'scheduler apply' first)" : " is a schedule this scheduler does not manage"));
        return FAILED;
      }
      int due = TriggerTimes.between(definition.orElseThrow().trigger(), from.minusSeconds(1), to, 100_000).size();
      process.schedules.backfill(namespace, activityId, from, to, overlap);
      out.println("backfill " + namespace + "/" + activityId + " from " + from + " to " + to + " (overlap " + overlap
          + "): asked Temporal to start the run of every due time in the range; the row's trigger selects " + due
          + " time(s). Runs are named " + activityId + "-<time>.");
      return OK;
    }
  }

  private static int seed(SchedulerSettings settings, List<String> args, PrintStream out, PrintStream err) {
    if (args.size() > 1 || (args.size() == 1 && !SchedulerSettings.SEEDS.contains(args.get(0)))) {
      throw new UsageException("seed takes an optional seed name: one of " + SchedulerSettings.SEEDS);
    }
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      migrate(settings, process);
      List<String> inserted = DevSeed.insert(process.registry);
      out.println("seed dev: inserted " + inserted + " (rows that existed were left as they are)");
      return OK;
    }
  }

  private static int migrate(SchedulerSettings settings, List<String> args, PrintStream out, PrintStream err) {
    noArguments("migrate", args);
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      var result = migrate(settings, process);
      out.println("registry schema at version " + (result.targetSchemaVersion == null ? "(unchanged)"
          : result.targetSchemaVersion) + ", " + result.migrationsExecuted + " migration(s) applied");
      return OK;
    }
  }

  /**
   * Brings the registry to the current schema, then grants REGISTRY_READER_ROLES read access (again on every start:
   * idempotent, and it covers tables a new migration added).
   */
  private static MigrateResult migrate(SchedulerSettings settings, SchedulerProcess process) {
    MigrateResult result = RegistrySchema.migrate(process.pool);
    RegistryGrants.grantRead(process.pool, settings.registryReaderRoles());
    if (!settings.registryReaderRoles().isEmpty()) {
      log.info("registry: read access granted to {}", settings.registryReaderRoles());
    }
    return result;
  }

  private static Instant instant(String what, String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException("backfill: <" + what + "> '" + text + "' is not accepted: use an RFC 3339 time with an"
          + " offset, e.g. 2026-11-20T00:00:00Z");
    }
  }

  private static void noArguments(String command, List<String> args) {
    if (!args.isEmpty()) {
      throw new UsageException(command + " takes no arguments, got " + args);
    }
  }

  /** Wrong command line: exit code 2 with the usage. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
