package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child-process handling with real processes (sh), as the stack uses it. */
class ManagedProcessTest {
  @TempDir Path dir;

  @Test
  void anExitNobodyAskedForIsReportedWithTheLastLines() throws Exception {
    CompletableFuture<ChildCrash> crash = new CompletableFuture<>();

    ManagedProcess.start(
        "victim",
        List.of("sh", "-c", "echo starting; echo 'FATAL: out of disk' >&2; exit 3"),
        Map.of(),
        dir.resolve("victim.log"),
        false,
        crash::complete);

    ChildCrash reported = crash.get(1, TimeUnit.MINUTES);
    assertThat(reported.exitCode()).isEqualTo(3);
    assertThat(reported.lastLines()).containsExactly("starting", "FATAL: out of disk");
    assertThat(reported.report())
        .startsWith("victim (pid ")
        .contains("exited unexpectedly with code 3")
        .contains("  | FATAL: out of disk");
  }

  @Test
  void aRequestedStopIsNotACrash() throws Exception {
    CompletableFuture<ChildCrash> crash = new CompletableFuture<>();
    ManagedProcess child =
        ManagedProcess.start(
            "sleeper",
            List.of("sleep", "60"),
            Map.of(),
            dir.resolve("s.log"),
            false,
            crash::complete);

    child.stop("TERM", Duration.ofSeconds(5));

    assertThat(child.isAlive()).isFalse();
    // A window in which nothing may happen (no crash report): there is no condition to wait for.
    Thread.sleep(200);
    assertThat(crash).isNotDone();
  }

  @Test
  void readinessFailsAtOnceWhenTheChildDiesMeanwhile() {
    ManagedProcess child =
        ManagedProcess.start(
            "short-lived",
            List.of("sh", "-c", "echo 'bind: address in use'; exit 1"),
            Map.of(),
            dir.resolve("x.log"),
            false,
            c -> {});
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> child.awaitReady("listening", Duration.ofSeconds(60), () -> false))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("short-lived exited with code 1 before listening")
        .hasMessageContaining("bind: address in use");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aFailedSetupStepShowsItsOutput() {
    assertThatThrownBy(
            () ->
                ManagedProcess.runToCompletion(
                    "schema step",
                    List.of("sh", "-c", "echo 'pq: permission denied to create database'; exit 2"),
                    Map.of(),
                    dir.resolve("step.log"),
                    Duration.ofSeconds(30)))
        .hasMessageContaining("schema step failed with exit code 2")
        .hasMessageContaining("permission denied to create database");
  }
}
