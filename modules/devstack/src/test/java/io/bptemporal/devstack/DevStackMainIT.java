package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code make run} as a user meets it: the launcher prints its addresses, and Ctrl-C stops every
 * process it started, cleanly. A terminal's Ctrl-C signals the whole foreground process group, so
 * the launcher runs in a process group of its own (setsid) and the test sends SIGINT to that group,
 * as the terminal would: no child may take it for a crash, and the launcher exits 0. All ports are
 * overridden to free ones so a developer's running stack is untouched.
 */
class DevStackMainIT {

  @Test
  void aCrashedComponentIsReportedAndTheLauncherExitsOne() throws Exception {
    Path dir = Files.createTempDirectory("bp-devstack-main-crash-");
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                DevStackMain.class.getName())
            .redirectErrorStream(true);
    stackEnvironment(builder.environment(), dir);
    builder.environment().put("DEVSTACK_RUN_PLAN", dir.resolve("no-run-plan.yaml").toString());
    Process launcher = builder.start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Boolean> up = new CompletableFuture<>();
    Thread reader = new Thread(() -> readUntilUp(launcher, output, up), "launcher-output");
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(up.get(120, TimeUnit.SECONDS)).as("launcher output:\n%s", output).isTrue();
      ProcessHandle ui =
          launcher
              .descendants()
              .filter(
                  p ->
                      java.util.Arrays.stream(p.info().arguments().orElse(new String[0]))
                          .anyMatch(a -> a.endsWith("/ui")))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no Web UI child among "
                              + launcher
                                  .descendants()
                                  .map(p -> p.info().commandLine().orElse("?"))
                                  .toList()));
      ui.destroyForcibly(); // a real crash: nobody asked it to stop

      assertThat(launcher.waitFor(60, TimeUnit.SECONDS))
          .as("launcher exits after a crash")
          .isTrue();
      reader.join(10_000);
      String all;
      synchronized (output) {
        all = String.join("\n", output);
      }
      assertThat(launcher.exitValue())
          .as("exit status after a crash; output:\n%s", all)
          .isEqualTo(1);
      assertThat(all)
          .contains("temporal-ui crashed (report above); stopping.")
          .doesNotContain("stopped cleanly");
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  @Test
  void printsAddressesAndLeavesNothingBehindAfterCtrlC() throws Exception {
    Path dir = Files.createTempDirectory("bp-devstack-main-");
    // env --default-signal=INT: a terminal's launcher receives SIGINT with its default disposition,
    // whereas this
    // test may run under a shell that ignores it (a background job), and an ignored signal stays
    // ignored in children.
    List<String> command =
        List.of(
            "setsid",
            "env",
            "--default-signal=INT",
            ProcessHandle.current().info().command().orElseThrow(),
            "-cp",
            System.getProperty("java.class.path"),
            DevStackMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    stackEnvironment(builder.environment(), dir);
    builder
        .environment()
        .put(
            "DEVSTACK_RUN_PLAN",
            probeRunPlan(Files.createTempDirectory("bp-devstack-main-plan-")).toString());
    Process launcher = builder.start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Boolean> up = new CompletableFuture<>();
    Thread reader = new Thread(() -> readUntilUp(launcher, output, up), "launcher-output");
    reader.setDaemon(true);
    reader.start();

    try {
      assertThat(up.get(120, TimeUnit.SECONDS)).as("launcher output:\n%s", output).isTrue();
      assertThat(launcher.descendants().toList())
          .as("postgres, temporal server, UI and Kafka broker are children of the launcher")
          .hasSizeGreaterThanOrEqualTo(4);
      // The run plan's apps start after the stack is up, and the Ctrl-C comes while they do: every
      // process the
      // launcher ever had must be gone afterwards, also one it was just starting.
      java.util.Set<ProcessHandle> children = java.util.concurrent.ConcurrentHashMap.newKeySet();
      Thread watcher =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (launcher.isAlive()) {
                      launcher.descendants().forEach(children::add);
                      try {
                        // The watcher's sampling interval (it records children until the launcher
                        // exits), not a wait.
                        Thread.sleep(50);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      // The apps are the launcher's java children (its command line is too long to show the main
      // class).
      Awaitility.await("the run plan's first app started")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () ->
                  assertThat(children)
                      .as("the run plan's first app was started")
                      .anyMatch(DevStackMainIT::isJava));
      assertThat(String.join("\n", output))
          .contains("Temporal frontend")
          .contains("Web UI")
          .containsPattern("Kafka +127\\.0\\.0\\.1:\\d+ ")
          .contains("orders (retention 30d)");

      // "-<pgid>": the whole process group, like the terminal's Ctrl-C (setsid made the launcher
      // its leader).
      new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).start().waitFor();

      assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("launcher exits after SIGINT").isTrue();
      watcher.join(5_000);
      reader.join(10_000);
      String all;
      synchronized (output) {
        all = String.join("\n", output);
      }
      assertThat(launcher.exitValue()).as("exit status after Ctrl-C; output:\n%s", all).isZero();
      assertThat(all)
          .contains("Ctrl-C (SIGINT) received")
          .contains("stopped cleanly")
          .doesNotContain("crashed")
          .doesNotContain("exited unexpectedly");
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
        assertThat(child.isAlive())
            .as("child %s still running", child.info().command().orElse("?"))
            .isFalse();
      }
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  /**
   * A run plan of the test's own: the reactor builds this module before the workers, so {@code
   * dev/run.yaml}'s apps are not built yet when this test runs from a fresh clone. A stand-in
   * service (a module directory as {@code make build} leaves it) is started the same way.
   */
  private static Path probeRunPlan(Path dir)
      throws java.io.IOException { // not in DEVSTACK_DIR: that must start empty
    Path module = dir.resolve("probe-module");
    Files.createDirectories(module.resolve("target/classes"));
    Files.writeString(
        module.resolve("target/runtime-classpath.txt"), System.getProperty("java.class.path"));
    Path plan = dir.resolve("run.yaml");
    Files.writeString(
        plan,
        """
        apps:
          - name: probe
            module: %s
            main: %s
            kind: service
            database: probe_db
        """
            .formatted(module, ReadyProbeApp.class.getName()));
    return plan;
  }

  private static boolean isJava(ProcessHandle process) {
    return process.info().command().orElse("").endsWith("/java");
  }

  /**
   * Free ports everywhere (a developer's running stack is untouched), a stack directory of the
   * test's own.
   */
  private static void stackEnvironment(Map<String, String> env, Path dir) {
    for (String port :
        List.of(
            "FRONTEND",
            "FRONTEND_HTTP",
            "FRONTEND_MEMBERSHIP",
            "HISTORY",
            "HISTORY_MEMBERSHIP",
            "MATCHING",
            "MATCHING_MEMBERSHIP",
            "WORKER",
            "WORKER_MEMBERSHIP",
            "SERVER_METRICS",
            "UI",
            "POSTGRES",
            "KAFKA",
            "KAFKA_CONTROLLER")) {
      env.put("DEVSTACK_" + port + "_PORT", "0");
    }
    env.put("DEVSTACK_DIR", dir.toString());
    env.remove("TEMPORAL_ADDRESS");
    env.remove("DEVSTACK_JDBC_URL");
    env.remove("KAFKA_BOOTSTRAP_SERVERS");
    env.put("BP_TOOLS_DIR", ToolLocator.discover().toolsDir().toString());
  }

  /**
   * Reads the launcher's output to its end (so it never blocks on a full pipe); true once it says
   * it is up.
   */
  private static boolean readUntilUp(
      Process process, List<String> output, CompletableFuture<Boolean> up) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.contains("Press Ctrl-C to stop.")) {
          up.complete(true);
        }
      }
    } catch (java.io.IOException closed) {
      // The launcher exited.
    }
    return up.complete(false);
  }
}
