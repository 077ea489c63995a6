package io.bptemporal.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code SchedulerMain} as {@code make run} and a Deployment start it: a child JVM from
 * target/classes and target/runtime-classpath.txt, configured by environment only. Two of them:
 * both become ready, exactly one reports itself leader on /metrics and reconciles; a registry
 * change is applied at once (NOTIFY; the interval is an hour); the leader killed with SIGKILL hands
 * over to the other; SIGTERM stops the survivor with exit code 0.
 */
@ExtendWith(DevStackExtension.class)
class SchedulerProcessIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern LEADER =
      Pattern.compile("(?m)^bp_scheduler_leader\\{[^}]*} ([0-9.]+)$");
  private static RegistryDatabase db;
  private static TemporalFixture temporal;
  private static StackEndpoints endpoints;

  @BeforeAll
  static void start(StackEndpoints stack) {
    endpoints = stack;
    db = new RegistryDatabase(stack, "registry_process");
    temporal = new TemporalFixture(stack, "sched-it-process");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  /** A scheduler child process and the management port it was given. */
  private record Child(String name, Process process, int port, Path log) {
    String metrics() {
      return get("/metrics").body();
    }

    boolean ready() {
      try {
        return get("/readyz").statusCode() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    }

    double leader() {
      Matcher m = LEADER.matcher(metrics());
      return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    HttpResponse<String> get(String path) {
      try {
        return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new IllegalStateException(name + " " + path + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no output: " + e.getMessage() + ")";
      }
    }
  }

  private static Child launch(String name) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path target = Path.of("target").toAbsolutePath();
    String classpath =
        target.resolve("classes")
            + java.io.File.pathSeparator
            + Files.readString(target.resolve("runtime-classpath.txt")).strip();
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classpath,
                "io.bptemporal.scheduler.SchedulerMain"));
    Path log = target.resolve("scheduler-process-it-" + name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("TEMPORAL_ADDRESS", endpoints.temporalAddress());
    env.put("DB_URL", db.settings.url());
    env.put("DB_USER", db.settings.user());
    env.put("DB_PASSWORD", db.settings.password());
    env.put("MANAGEMENT_PORT", String.valueOf(port));
    env.put("SCHEDULER_NAMESPACES", temporal.namespace);
    env.put("SCHEDULER_WORKFLOW_TYPES", Rows.PROBE_WORKFLOW);
    env.put("SCHEDULER_RECONCILE_INTERVAL", "1h");
    env.put("SCHEDULER_LOCK_RETRY_INTERVAL", "1s");
    env.put("LOG_FORMAT", "text");
    // DEVSTACK_TLS / DEVSTACK_AUTH: the scheduler's own certificate, and a token that may write in
    // the one namespace it manages here.
    env.putAll(
        endpoints.temporalClientEnv("scheduler-" + name, List.of(temporal.namespace + ":write")));
    return new Child(name, builder.start(), port, log);
  }

  @Test
  void twoProcessesOneLeaderKillHandsOverTermStopsCleanly() throws Exception {
    Child a = launch("a");
    Child b = launch("b");
    try {
      await("a ready", a::ready, a);
      await("b ready", b::ready, b);
      await("one of them leads", () -> a.leader() == 1.0 || b.leader() == 1.0, a);
      Child leader = a.leader() == 1.0 ? a : b;
      Child standby = leader == a ? b : a;
      await(standby.name() + " reports itself standby", () -> standby.leader() == 0.0, standby);
      // A window in which the standby must stay standby: there is no condition to wait for.
      Thread.sleep(1_500); // more than one lock retry of the standby
      assertThat(standby.leader()).as(standby.name() + " is still a standby").isEqualTo(0.0);
      assertThat(leader.leader()).as(leader.name() + " still leads").isEqualTo(1.0);

      Instant inserted = Instant.now();
      db.registry.put(Rows.probe("process-1", temporal.namespace, "{\"cron\": [\"0 1 1 1 *\"]}"));
      await("the leader applies the new row at once", () -> exists("process-1"), leader);
      System.out.println(
          "registry change applied "
              + Duration.between(inserted, Instant.now()).toMillis()
              + " ms after the insert (interval: 1h)");
      String created = "bp_scheduler_changes_total{change=\"created\",service=\"scheduler\"} 1.0";
      await("the leader counts the create", () -> leader.metrics().contains(created), leader);
      assertThat(standby.metrics()).doesNotContain(created);

      leader.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Instant killed = Instant.now();
      await(
          standby.name() + " leads after " + leader.name() + " was killed",
          () -> standby.leader() == 1.0,
          standby);
      System.out.println(
          "hand-over after SIGKILL of the leader took "
              + Duration.between(killed, Instant.now()).toMillis()
              + " ms");
      db.registry.put(Rows.probe("process-2", temporal.namespace, "{\"cron\": [\"0 2 1 1 *\"]}"));
      await(standby.name() + " applies the next change", () -> exists("process-2"), standby);

      standby.process().destroy(); // SIGTERM
      assertThat(standby.process().waitFor(30, TimeUnit.SECONDS))
          .as("stops after SIGTERM")
          .isTrue();
      assertThat(standby.process().exitValue())
          .as("exit code after SIGTERM; output:\n" + standby.output())
          .isZero();
      assertThat(standby.output()).contains("released the leader lock");
    } finally {
      a.process().destroyForcibly();
      b.process().destroyForcibly();
    }
  }

  private static boolean exists(String id) {
    return temporal.scheduleExists(id);
  }

  private static void await(String what, BooleanSupplier condition, Child child) {
    try {
      Awaitility.await(what)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(RuntimeException.class) // not up yet
          .failFast(child.name() + " exited before: " + what, () -> !child.process().isAlive())
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError(
          e.getMessage()
              + (child.process().isAlive()
                  ? ""
                  : " (" + child.name() + " exited with " + child.process().exitValue() + ")")
              + "; output of "
              + child.name()
              + ":\n"
              + child.output(),
          e);
    }
  }
}
