package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test launcher with real processes: sh for exits, the JDK's jwebserver as a process with a
 * /readyz.
 */
class WorkerProcessTest {
  @TempDir Path dir;

  @Test
  void readyWhenReadyzAnswers200OnTheFreeManagementPortItChose() throws Exception {
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.writeString(site.resolve("readyz"), "ok");
    String jwebserver = Path.of(System.getProperty("java.home"), "bin", "jwebserver").toString();
    try (WorkerProcess server =
        WorkerProcess.start(
            "web",
            List.of(
                "sh",
                "-c",
                "exec " + jwebserver + " -b 127.0.0.1 -p \"$MANAGEMENT_PORT\" -d " + site),
            Map.of(),
            dir.resolve("web.log"))) {
      server.awaitReady(Duration.ofSeconds(60));

      assertThat(server.managementPort()).isPositive();
      assertThat(server.isAlive()).isTrue();
      assertThat(server.terminate(Duration.ofSeconds(20)))
          .as("a JVM without a SIGTERM handler exits 128 + 15")
          .isEqualTo(143);
      assertThat(server.isAlive()).isFalse();
    }
  }

  @Test
  void anExitBeforeReadyFailsAtOnceWithTheLastLinesAndTheLog() {
    WorkerProcess process =
        WorkerProcess.start(
            "broken",
            List.of("sh", "-c", "echo \"port $MANAGEMENT_PORT\"; echo 'DB_URL is not set'; exit 2"),
            Map.of(),
            dir.resolve("broken.log"));

    assertThatThrownBy(() -> process.awaitReady(Duration.ofMinutes(1)))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("broken exited with code 2 before ready")
        .hasMessageContaining("| DB_URL is not set")
        .hasMessageContaining(dir.resolve("broken.log").toString());
    assertThat(process.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
    assertThat(process.lines())
        .containsExactly("port " + process.managementPort(), "DB_URL is not set");
  }

  @Test
  void aProcessThatOutlivesAwaitExitIsKilledAndReported() {
    WorkerProcess sleeper =
        WorkerProcess.start(
            "sleeper",
            List.of("sleep", "60"),
            Map.of("MANAGEMENT_PORT", "1"),
            dir.resolve("sleeper.log"));

    assertThatThrownBy(() -> sleeper.awaitExit(Duration.ofMillis(300)))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("still runs after PT0.3S");
    assertThat(sleeper.isAlive()).isFalse();
    assertThat(sleeper.managementPort()).as("a MANAGEMENT_PORT the test sets is kept").isEqualTo(1);
  }

  @Test
  void aModuleThatWasNotPackagedSaysHowToBuildIt() {
    assertThatThrownBy(() -> WorkerProcess.moduleCommand(dir, "x.Main", List.of()))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("runtime-classpath.txt is missing")
        .hasMessageContaining("run the test through 'mvn verify'");
  }
}
