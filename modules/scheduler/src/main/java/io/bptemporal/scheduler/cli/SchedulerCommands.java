package io.bptemporal.scheduler.cli;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.OverlapPolicy;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.observability.Telemetry;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.health.ReadinessChecks;
import io.bptemporal.observability.logging.Logging;
import io.bptemporal.registry.routes.RouteReader;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.runtime.process.ProcessLifecycle;
import io.bptemporal.runtime.temporal.codec.CodecServer;
import io.bptemporal.runtime.temporal.codec.CodecServerSettings;
import io.bptemporal.scheduler.compress.TriggerTimes;
import io.bptemporal.scheduler.config.SchedulerSettings;
import io.bptemporal.scheduler.plan.DescribedSchedule;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.PlanPrinter;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.run.PlatformReconcileMetrics;
import io.bptemporal.scheduler.run.ReconcileService;
import io.bptemporal.scheduler.seed.DevSeed;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The subcommands of {@link io.bptemporal.scheduler.SchedulerMain}, parsed by picocli; each returns
 * the process exit code. Usage errors (unknown command or option, wrong arguments) print what is
 * wrong and the usage, exit 2.
 */
@Command(
    name = "scheduler",
    subcommands = CommandLine.HelpCommand.class,
    description =
        "Keeps the Temporal Schedules equal to the activity registry. Without a command: run.",
    footer =
        "%nExit codes: 0 done, 1 the command failed, 2 wrong usage or configuration.%n"
            + "Configuration: environment variables, see docs/scheduler.md#configuration")
public final class SchedulerCommands implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(SchedulerCommands.class);

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = CommandLine.ExitCode.USAGE;

  private final Environment env;
  private final PrintStream out;
  private final PrintStream err;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this usage and exit")
  private boolean help;

  private SchedulerCommands(Environment env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static int run(String[] args, Environment env, PrintStream out, PrintStream err) {
    CommandLine commandLine =
        new CommandLine(new SchedulerCommands(env, out, err))
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(
                (e, command, parsed) -> {
                  String name = command.getCommandName();
                  if (e instanceof ConfigurationException invalid) {
                    // Every problem at once, each naming the variable, the value and what is
                    // accepted.
                    err.println("scheduler configuration is not valid:");
                    invalid.problems().forEach(p -> err.println("  - " + p));
                    return USAGE;
                  }
                  err.println("scheduler " + name + " failed: " + e);
                  log.debug("scheduler {} failed", name, e);
                  return FAILED;
                });
    return commandLine.execute(args);
  }

  /**
   * Without a command the scheduler runs the service: a Deployment and {@code make run} start it
   * so.
   */
  @Override
  public Integer call() {
    return runService();
  }

  @Command(
      name = "run",
      description = {
        "reconcile on SCHEDULER_RECONCILE_INTERVAL and on registry changes, while"
            + " holding the leader lock (the default without a command)"
      })
  int runService() {
    return runService(settings(), err);
  }

  @Command(
      name = "plan",
      description =
          "print what apply would change (+ create, ~ update, - delete, ! invalid"
              + " rows) and the broken event routes; changes nothing")
  int plan() {
    return plan(settings(), out, err);
  }

  @Command(name = "apply", description = "one reconcile pass, then print what it did")
  int apply() {
    return apply(settings(), out, err);
  }

  @Command(
      name = "backfill",
      description = {
        "ask Temporal to start the runs the row's schedule would have started"
            + " between two RFC 3339 times"
      })
  int backfill(
      @Parameters(index = "0", paramLabel = "<activity_id>", description = "the registry row")
          String activityId,
      @Parameters(
              index = "1",
              paramLabel = "<from>",
              description = "RFC 3339 time, e.g. 2026-11-20T00:00:00Z")
          String from,
      @Parameters(index = "2", paramLabel = "<to>", description = "RFC 3339 time after <from>")
          String to,
      @Option(
              names = "--overlap",
              paramLabel = "POLICY",
              defaultValue = "BUFFER_ALL",
              description =
                  "overlap policy of the runs, one of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
          OverlapPolicy overlap) {
    CommandLine backfill = spec.subcommands().get("backfill");
    Instant start = instant(backfill, "from", from);
    Instant end = instant(backfill, "to", to);
    if (!end.isAfter(start)) {
      throw new ParameterException(
          backfill, "backfill: <to> " + end + " is not after <from> " + start);
    }
    return backfill(settings(), activityId, start, end, overlap, out, err);
  }

  @Command(name = "seed", description = "insert the dev seed rows that are missing")
  int seed(
      @Parameters(arity = "0..1", paramLabel = "dev", description = "the seed (only dev)")
          String seed) {
    if (seed != null && !SchedulerSettings.SEEDS.contains(seed)) {
      throw new ParameterException(
          spec.subcommands().get("seed"),
          "seed takes an optional seed name: one of "
              + SchedulerSettings.SEEDS
              + ", got '"
              + seed
              + "'");
    }
    return seed(settings(), out);
  }

  @Command(name = "migrate", description = "bring the registry tables to the current schema")
  int migrate() {
    return migrate(settings(), out);
  }

  @Command(
      name = "codec-server",
      description = {
        "serve Temporal's codec server protocol (POST /decode, /encode) for the Web UI and the"
            + " CLI: decrypts payloads for callers with the CODEC_SERVER_TOKEN_FILE bearer token"
            + " or an access token of CODEC_SERVER_OIDC_ISSUER; runs until SIGTERM"
            + " (docs/security.md#the-codec-server)"
      })
  int codecServer() throws InterruptedException {
    // Only what the codec server needs: it reads no registry and talks to no Temporal server.
    CodecServerSettings codec = CodecServerSettings.fromEnvironment(env);
    TelemetryConfig telemetry = TelemetryConfig.fromEnvironment(env, CODEC_SERVER_SERVICE);
    env.validate();
    try (ProcessLifecycle lifecycle = ProcessLifecycle.start(telemetry)) {
      CodecServer server = lifecycle.closeOnExit(CodecServer.start(codec));
      lifecycle.installSignalHandlers();
      log.info(
          "codec server ready on port {}; health at {}",
          server.port(),
          lifecycle.telemetry().managementUri().resolve("/readyz"));
      lifecycle.awaitStop();
      return OK;
    }
  }

  static final String CODEC_SERVER_SERVICE = "codec-server";

  /**
   * Read only once the command line is right: a usage error is reported before the configuration's.
   */
  private SchedulerSettings settings() {
    return SchedulerSettings.fromEnvironment(env);
  }

  private static int runService(SchedulerSettings settings, PrintStream err) {
    try (ProcessLifecycle lifecycle = ProcessLifecycle.start(settings.telemetry())) {
      Telemetry telemetry = lifecycle.telemetry();
      SchedulerProcess process =
          lifecycle.closeOnExit(
              new SchedulerProcess(settings, Optional.of(telemetry.temporalMetricsScope())));
      migrate(settings, process);
      settings.seed().ifPresent(seed -> DevSeed.insert(process.registry));
      ReconcileService service =
          new ReconcileService(
              process.reconciler,
              process.leaderLock(),
              settings.reconcileInterval(),
              settings.lockRetryInterval(),
              new PlatformReconcileMetrics(telemetry.meterRegistry()));
      // A stop finishes the running pass, releases the leader lock and returns (exit 0).
      lifecycle.onStop(service::requestStop);
      lifecycle.installSignalHandlers();
      // Ready means able to reconcile if it became leader now: a standby is as ready as the leader.
      // The checks
      // go in last: until then /readyz answers 503, so nothing treats a process still migrating (or
      // one that
      // cannot yet stop gracefully) as ready.
      telemetry
          .health()
          .register(ReadinessChecks.databaseReachable(process.pool))
          .register(ReadinessChecks.temporalReachable(process.connection.stubs()));
      log.info(
          "scheduler running: namespaces {}, interval {}, ready at {}",
          settings.namespaces(),
          settings.reconcileInterval(),
          telemetry.managementUri().resolve("/readyz"));
      service.runUntilStopped();
      return OK;
    }
  }

  private static int plan(SchedulerSettings settings, PrintStream out, PrintStream err) {
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      int pending = RegistrySchema.pending(process.pool);
      if (pending > 0) {
        err.println(
            "the registry database has "
                + pending
                + " migration(s) to apply: run 'scheduler migrate' (or"
                + " apply/run, which migrate first)");
        return FAILED;
      }
      Plan plan = process.reconciler.plan();
      PlanPrinter.print(plan, out);
      PlanPrinter.printRoutes(new RouteReader(process.pool).table(), out);
      return OK;
    }
  }

  private static int apply(SchedulerSettings settings, PrintStream out, PrintStream err) {
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

  private static int backfill(
      SchedulerSettings settings,
      String activityId,
      Instant from,
      Instant to,
      OverlapPolicy overlap,
      PrintStream out,
      PrintStream err) {
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      Optional<RegistryRow> row =
          process.registry.rows().stream()
              .filter(r -> r.activityId().equals(activityId))
              .findFirst();
      if (row.isEmpty()) {
        err.println("backfill: no registry row with activity_id '" + activityId + "'");
        return FAILED;
      }
      ValidationResult<ActivityDefinition> definition =
          ContractValidator.validateDefinition(row.get().toDefinitionDocument().toString());
      if (!definition.valid()) {
        err.println(
            "backfill: row '"
                + activityId
                + "' is invalid, fix it first: "
                + definition.violations());
        return FAILED;
      }
      String namespace = row.get().namespace();
      Optional<DescribedSchedule> schedule = process.schedules.describe(namespace, activityId);
      if (schedule.isEmpty() || !schedule.get().owned()) {
        err.println(
            "backfill: "
                + namespace
                + "/"
                + activityId
                + (schedule.isEmpty()
                    ? " has no schedule yet (run" + " 'scheduler apply' first)"
                    : " is a schedule this scheduler does not manage"));
        return FAILED;
      }
      int due =
          TriggerTimes.between(
                  definition.orElseThrow().trigger(), from.minusSeconds(1), to, 100_000)
              .size();
      process.schedules.backfill(namespace, activityId, from, to, overlap);
      out.println(
          "backfill "
              + namespace
              + "/"
              + activityId
              + " from "
              + from
              + " to "
              + to
              + " (overlap "
              + overlap
              + "): asked Temporal to start the run of every due time in the range; the row's trigger selects "
              + due
              + " time(s). Runs are named "
              + activityId
              + "-<time>.");
      return OK;
    }
  }

  private static int seed(SchedulerSettings settings, PrintStream out) {
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      migrate(settings, process);
      List<String> inserted = DevSeed.insert(process.registry);
      out.println("seed dev: inserted " + inserted + " (rows that existed were left as they are)");
      return OK;
    }
  }

  private static int migrate(SchedulerSettings settings, PrintStream out) {
    Logging.configure(settings.telemetry());
    try (SchedulerProcess process = new SchedulerProcess(settings, Optional.empty())) {
      var result = migrate(settings, process);
      out.println(
          "registry schema at version "
              + (result.targetSchemaVersion == null ? "(unchanged)" : result.targetSchemaVersion)
              + ", "
              + result.migrationsExecuted
              + " migration(s) applied");
      return OK;
    }
  }

  /**
   * Brings the registry to the current schema, then grants REGISTRY_READER_ROLES read access (again
   * on every start: idempotent, and it covers tables a new migration added).
   */
  private static MigrateResult migrate(SchedulerSettings settings, SchedulerProcess process) {
    MigrateResult result = RegistrySchema.migrate(process.pool);
    RegistryGrants.grantRead(process.pool, settings.registryReaderRoles());
    if (!settings.registryReaderRoles().isEmpty()) {
      log.info("registry: read access granted to {}", settings.registryReaderRoles());
    }
    return result;
  }

  private static Instant instant(CommandLine command, String what, String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          command,
          "backfill: <"
              + what
              + "> '"
              + text
              + "' is not accepted: use an RFC 3339"
              + " time with an offset, e.g. 2026-11-20T00:00:00Z");
    }
  }
}
