package io.bptemporal.scheduler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.observability.config.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command line as picocli reads it: usage errors exit 2 with the problem and the usage, before
 * the configuration is read or anything is reached. No server runs here: every case must stop
 * before needing one.
 */
class SchedulerCommandsTest {
  private record Run(int code, String out, String err) {}

  private static Run scheduler(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SchedulerCommands.run(
            args,
            Environment.of(env::get),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run scheduler(String... args) {
    return scheduler(Map.of(), args);
  }

  @Test
  void helpListsEveryCommandOnStandardOutput() {
    for (String[] args : new String[][] {{"help"}, {"--help"}, {"-h"}}) {
      Run help = scheduler(args);
      assertThat(help.code()).as(String.join(" ", args)).isZero();
      assertThat(help.out())
          .contains(
              "Usage: scheduler",
              "run",
              "plan",
              "apply",
              "backfill",
              "seed",
              "migrate",
              "codec-server",
              "docs/scheduler.md#configuration");
      assertThat(help.err()).isEmpty();
    }
    Run backfill = scheduler("help", "backfill");
    assertThat(backfill.out())
        .contains(
            "Usage: scheduler backfill",
            "<activity_id> <from> <to>",
            "--overlap=POLICY",
            "BUFFER_ALL");
  }

  @Test
  void theCodecServerDoesNotStartWithoutATokenOrKeys() {
    Run run = scheduler("codec-server");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "scheduler configuration is not valid:",
            "neither CODEC_SERVER_TOKEN_FILE nor CODEC_SERVER_OIDC_ISSUER is set",
            "PAYLOAD_KEYS_DIR is not set: the codec server needs the payload keys");
  }

  @Test
  void anUnknownCommandExits2NamingItAndTheClosestCommand() {
    Run run = scheduler("aply");

    assertThat(run.code()).isEqualTo(SchedulerCommands.USAGE).isEqualTo(2);
    // picocli prints the closest commands instead of the whole usage when it finds some.
    assertThat(run.err())
        .contains("Unmatched argument at index 0: 'aply'", "Did you mean: scheduler apply");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownOptionOrAnExtraArgumentExits2NamingIt() {
    Run option = scheduler("plan", "--dry-run");
    assertThat(option.code()).isEqualTo(2);
    assertThat(option.err()).contains("Unknown option: '--dry-run'", "Usage: scheduler plan");

    Run extra = scheduler("migrate", "now");
    assertThat(extra.code()).isEqualTo(2);
    assertThat(extra.err())
        .contains("Unmatched argument at index 1: 'now'", "Usage: scheduler migrate");
  }

  @Test
  void backfillArgumentsAreCheckedBeforeTheConfiguration() {
    Run missing = scheduler("backfill", "row");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .contains("Missing required parameters: '<from>', '<to>'", "Usage: scheduler backfill");

    Run badTime = scheduler("backfill", "row", "yesterday", "2026-01-01T03:00:00Z");
    assertThat(badTime.code()).isEqualTo(2);
    assertThat(badTime.err())
        .contains("backfill: <from> 'yesterday' is not accepted: use an RFC 3339 time");

    Run backwards = scheduler("backfill", "row", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z");
    assertThat(backwards.code()).isEqualTo(2);
    assertThat(backwards.err())
        .contains("<to> 2026-01-01T00:00:00Z is not after <from> 2026-01-02T00:00:00Z");

    Run overlap =
        scheduler(
            "backfill",
            "row",
            "2026-01-01T00:00:00Z",
            "2026-01-02T00:00:00Z",
            "--overlap",
            "SOMETIMES");
    assertThat(overlap.code()).isEqualTo(2);
    assertThat(overlap.err()).contains("--overlap", "'SOMETIMES'", "BUFFER_ALL", "ALLOW_ALL");
  }

  @Test
  void seedAcceptsOnlyKnownSeeds() {
    Run run = scheduler("seed", "prod");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "seed takes an optional seed name: one of [dev], got 'prod'", "Usage: scheduler seed");
  }

  @Test
  void wrongConfigurationExits2WithEveryProblem() {
    Run run =
        scheduler(
            Map.of("SCHEDULER_RECONCILE_INTERVAL", "PT30S", "SCHEDULER_NAMESPACES", "Bad_NS"),
            "plan");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "scheduler configuration is not valid:",
            "SCHEDULER_RECONCILE_INTERVAL='PT30S' is not accepted",
            "SCHEDULER_NAMESPACES='Bad_NS' is not accepted");
  }
}
