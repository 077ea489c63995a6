package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.scheduler.cli.SchedulerCommands;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one-shot subcommands (seed, plan, apply, backfill) as an operator runs them, and their exit
 * codes.
 */
@ExtendWith(DevStackExtension.class)
class SchedulerCommandsIT {
  private static RegistryDatabase db;
  private static TemporalFixture temporal;
  private static StackEndpoints endpoints;

  @BeforeAll
  static void start(StackEndpoints stack) {
    endpoints = stack;
    db = new RegistryDatabase(stack, "registry_cli");
    temporal = new TemporalFixture(stack, "sched-it-cli");
  }

  @BeforeEach
  void emptyRegistry() {
    db.sql("truncate activity_definition cascade");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  private record Run(int code, String out, String err) {}

  private static Run scheduler(Map<String, String> extra, String... args) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "TEMPORAL_ADDRESS",
                endpoints.temporalAddress(),
                "DB_URL",
                db.settings.url(),
                "DB_USER",
                db.settings.user(),
                "DB_PASSWORD",
                db.settings.password(),
                "SCHEDULER_NAMESPACES",
                temporal.namespace,
                "SCHEDULER_WORKFLOW_TYPES",
                Rows.PROBE_WORKFLOW));
    // DEVSTACK_TLS / DEVSTACK_AUTH: the CLI's own certificate and token: write in its test
    // namespace and in the platform's (some tests point it at pipelines).
    List<String> permissions = new java.util.ArrayList<>(StackEndpoints.platformWriter());
    permissions.add(temporal.namespace + ":write");
    env.putAll(endpoints.temporalClientEnv("scheduler-cli", permissions));
    env.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SchedulerCommands.run(
            args,
            Environment.of(env::get),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Run run =
        new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.println(
        "$ scheduler "
            + String.join(" ", args)
            + "   (exit "
            + code
            + ")\n"
            + run.out()
            + run.err());
    return run;
  }

  @Test
  void seedThenPlanShowsTheDevRowsAndChangesNothing() {
    Map<String, String> platform =
        Map.of(
            "SCHEDULER_NAMESPACES",
            "pipelines",
            "SCHEDULER_WORKFLOW_TYPES",
            "RunActivityWorkflow,DataPipelineWorkflow");
    Run seeded = scheduler(platform, "seed", "dev");
    assertThat(seeded.code()).isZero();
    assertThat(seeded.out())
        .contains("demo-tick-every-minute", "nightly-orders-pipeline", "hourly-cleanup");
    assertThat(scheduler(platform, "seed").out())
        .as("seeding twice inserts nothing")
        .contains("inserted []");

    Run plan = scheduler(platform, "plan");
    assertThat(plan.code()).isZero();
    assertThat(plan.out())
        .contains(
            "+ pipelines/demo-tick-every-minute  RunActivityWorkflow on activities-tq",
            "+ pipelines/nightly-orders-pipeline  DataPipelineWorkflow on pipelines-tq",
            "+ pipelines/hourly-cleanup  RunActivityWorkflow on activities-tq",
            "0 invalid");
    assertThat(plan.out()).doesNotContain("! ");
    assertThat(
            temporal
                .schedules("pipelines")
                .listSchedules(null, 1000)
                .filter(s -> s.getScheduleId().equals("demo-tick-every-minute"))
                .count())
        .as("plan created nothing")
        .isZero();
  }

  @Test
  void applyThenBackfillStartsTheRunsOfTheRange() throws Exception {
    db.registry.put(
        Rows.probe("cli-hourly", temporal.namespace, "{\"intervals\": [{\"every\": \"1h\"}]}"));
    Run apply = scheduler(Map.of(), "apply");
    assertThat(apply.code()).isZero();
    assertThat(apply.out()).contains("+ " + temporal.namespace + "/cli-hourly", "1 created");

    Run backfill =
        scheduler(
            Map.of(),
            "backfill",
            "cli-hourly",
            "2026-01-01T00:00:00Z",
            "2026-01-01T03:00:00Z",
            "--overlap",
            "ALLOW_ALL");
    assertThat(backfill.code()).isZero();
    assertThat(backfill.out()).contains("selects 4 time(s)");
    List<String> runs = awaitRuns("cli-hourly", 4);
    assertThat(runs)
        .containsExactlyInAnyOrder(
            "cli-hourly-2026-01-01T00:00:00Z",
            "cli-hourly-2026-01-01T01:00:00Z",
            "cli-hourly-2026-01-01T02:00:00Z",
            "cli-hourly-2026-01-01T03:00:00Z");

    assertThat(
            scheduler(
                    Map.of(),
                    "backfill",
                    "no-such-row",
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T03:00:00Z")
                .code())
        .isEqualTo(SchedulerCommands.FAILED);
    Run badTime =
        scheduler(Map.of(), "backfill", "cli-hourly", "yesterday", "2026-01-01T03:00:00Z");
    assertThat(badTime.code()).isEqualTo(SchedulerCommands.USAGE);
    assertThat(badTime.err()).contains("<from> 'yesterday' is not accepted: use an RFC 3339 time");
  }

  @Test
  void wrongConfigurationIsReportedAllAtOnceWithExitCode2() {
    Run run =
        scheduler(
            Map.of(
                "SCHEDULER_RECONCILE_INTERVAL",
                "PT30S",
                "SCHEDULER_NAMESPACES",
                "Bad_NS",
                "SCHEDULER_SEED",
                "prod"),
            "plan");
    assertThat(run.code()).isEqualTo(SchedulerCommands.USAGE);
    assertThat(run.err())
        .contains(
            "SCHEDULER_RECONCILE_INTERVAL='PT30S' is not accepted",
            "SCHEDULER_NAMESPACES='Bad_NS' is not accepted",
            "SCHEDULER_SEED='prod' is not accepted");
    assertThat(scheduler(Map.of(), "frobnicate").code()).isEqualTo(SchedulerCommands.USAGE);
    assertThat(scheduler(Map.of(), "help").out()).contains("Usage: scheduler", "backfill");
  }

  @Test
  void migrateGrantsTheReaderRolesReadOnlyAccessAndNamesAnUnknownRole() throws Exception {
    String reader = "registry_cli_reader";
    endpoints.postgres().ensureLoginRole(reader, "pw");
    for (int start = 0; start < 2; start++) {
      assertThat(scheduler(Map.of("REGISTRY_READER_ROLES", reader), "migrate").code())
          .as("start " + start)
          .isEqualTo(SchedulerCommands.OK);
    }
    try (var c = java.sql.DriverManager.getConnection(db.settings.url(), reader, "pw");
        var s = c.createStatement()) {
      s.execute("select count(*) from activity_definition");
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                      java.sql.SQLException.class,
                      () -> s.execute("update activity_definition set paused = true"))
                  .getSQLState())
          .isEqualTo("42501");
    }

    Run unknown = scheduler(Map.of("REGISTRY_READER_ROLES", reader + ",no_such_role"), "migrate");
    assertThat(unknown.code()).isEqualTo(SchedulerCommands.FAILED);
    assertThat(unknown.err()).contains("[no_such_role] do not exist");
    Run malformed = scheduler(Map.of("REGISTRY_READER_ROLES", "Reader-1"), "migrate");
    assertThat(malformed.code()).isEqualTo(SchedulerCommands.USAGE);
    assertThat(malformed.err())
        .contains("REGISTRY_READER_ROLES='Reader-1' is not accepted ([Reader-1])");
  }

  private static List<String> awaitRuns(String scheduleId, int count) {
    return Awaitility.await(count + " runs of schedule " + scheduleId)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                temporal
                    .stubs()
                    .blockingStub()
                    .listWorkflowExecutions(
                        ListWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(temporal.namespace)
                            .setQuery("TemporalScheduledById = '" + scheduleId + "'")
                            .build())
                    .getExecutionsList()
                    .stream()
                    .map(info -> info.getExecution().getWorkflowId())
                    .toList(),
            ids -> ids.size() >= count);
  }
}
