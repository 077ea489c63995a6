package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A component that dies is reported at once, with its own last log lines, and the rest is stopped.
 */
class CrashReportIT {

  @Test
  void killedPostgresIsReportedAtOnceWithItsLastLines() throws Exception {
    Path dir = Files.createTempDirectory("bp-devstack-crash-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    // Its own stack (free ports, nothing from the environment) so killing it harms no other test.
    try (DevStack stack =
        DevStack.start(DevStackConfig.forTests(ToolLocator.discover(), dir, name -> null))) {
      ProcessHandle postgres = ProcessHandle.of(stack.postgresPid()).orElseThrow();

      postgres.destroyForcibly();

      ChildCrash crash = stack.crashed().get(1, TimeUnit.MINUTES);
      assertThat(crash.component()).isEqualTo("postgres");
      assertThat(crash.exitCode()).isEqualTo(137);
      assertThat(crash.report())
          .contains("killed by signal 9")
          .contains("postgres (pid " + postgres.pid() + ")");
      assertThat(crash.lastLines()).as("the child's own last log lines").isNotEmpty();
      awaitGone(stack, Duration.ofSeconds(30));
    }
  }

  /**
   * After a crash the stack stops its other components: no Temporal server or UI is left running.
   */
  private static void awaitGone(DevStack stack, Duration timeout) {
    String workDir = stack.config().workDir().toString();
    Awaitility.await("components of the crashed stack in " + workDir + " stopped")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.current()
                            .descendants()
                            .filter(
                                p ->
                                    p.isAlive()
                                        && p.info()
                                            .commandLine()
                                            .map(c -> c.contains(workDir))
                                            .orElse(false))
                            .map(p -> "pid " + p.pid() + ": " + p.info().command().orElse("?"))
                            .toList())
                    .as("components of the crashed stack in %s still running", workDir)
                    .isEmpty());
  }
}
