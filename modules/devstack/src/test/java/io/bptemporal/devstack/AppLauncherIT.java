package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.devstack.junit.DevStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `make run`'s processes on top of the stack: environment contract, readiness, tasks, shutdown. */
@ExtendWith(DevStackExtension.class)
class AppLauncherIT {
  @TempDir Path temp;

  @Test
  void serviceGetsItsDatabaseAndEnvironmentAndIsAwaitedReady(StackEndpoints stack)
      throws Exception {
    Path module = fakeModule();
    List<ChildCrash> crashes = new ArrayList<>();
    RunPlan plan =
        new RunPlan(
            List.of(
                new RunPlan.App(
                    "probe",
                    module,
                    ReadyProbeApp.class.getName(),
                    List.of(),
                    RunPlan.Kind.SERVICE,
                    Optional.of("probe_db"),
                    Map.of("GREETING", "hello ${jdbc:other_db}"))));

    AppLauncher launcher = new AppLauncher(stack, temp.resolve("logs"), crashes::add);
    try {
      launcher.run(plan);

      String log = Files.readString(temp.resolve("logs/probe.log"));
      assertThat(log)
          .contains(
              "probe up: db=probe_db temporal="
                  + stack.temporalAddress()
                  + " greeting=hello "
                  + stack.postgres().jdbcUrl("other_db"));
    } finally {
      launcher.close();
    }
    assertThat(Files.readString(temp.resolve("logs/probe.log")))
        .as("stopped by SIGTERM, through its shutdown hook")
        .contains("probe stopping");
    assertThat(crashes).as("a requested stop is not a crash").isEmpty();
  }

  @Test
  void thePlansRolesExistBeforeItsFirstAppAndCanLogIn(StackEndpoints stack) throws Exception {
    RunPlan plan = new RunPlan(List.of("launcher_it_reader"), List.of());
    AppLauncher launcher = new AppLauncher(stack, temp.resolve("logs"), crash -> {});
    try {
      launcher.run(plan);
      launcher.run(plan); // a second start finds the role and leaves it (and its password) alone
    } finally {
      launcher.close();
    }
    try (var c =
            java.sql.DriverManager.getConnection(
                stack.postgres().jdbcUrl("postgres"),
                "launcher_it_reader",
                "launcher_it_reader-dev");
        var s = c.createStatement();
        var rs = s.executeQuery("select current_user")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("launcher_it_reader");
    }
  }

  @Test
  void aTaskThatFailsStopsThePlanWithItsOutput(StackEndpoints stack) throws Exception {
    Path module = fakeModule();
    RunPlan plan =
        new RunPlan(
            List.of(
                new RunPlan.App(
                    "failing-demo",
                    module,
                    ReadyProbeApp.class.getName(),
                    List.of(),
                    RunPlan.Kind.TASK,
                    Optional.empty(),
                    Map.of())));

    try (AppLauncher launcher = new AppLauncher(stack, temp.resolve("logs"), c -> {})) {
      // Without a database the probe cannot connect: the task fails, and its own error is in the
      // message.
      assertThatThrownBy(() -> launcher.run(plan))
          .isInstanceOf(DevStackException.class)
          .hasMessageContaining("failing-demo failed with exit code 1");
    }
  }

  @Test
  void readinessEndpointIsReallyServedWhileRunning(StackEndpoints stack) throws Exception {
    Path module = fakeModule();
    int port = StackPorts.freePort();
    RunPlan plan =
        new RunPlan(
            List.of(
                new RunPlan.App(
                    "probe2",
                    module,
                    ReadyProbeApp.class.getName(),
                    List.of(),
                    RunPlan.Kind.SERVICE,
                    Optional.of("probe_db"),
                    Map.of("MANAGEMENT_PORT", Integer.toString(port)))));

    try (AppLauncher launcher = new AppLauncher(stack, temp.resolve("logs"), c -> {})) {
      launcher.run(plan);
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("db=probe_db");
    }
  }

  /**
   * A module directory as `make build` leaves it: target/classes plus target/runtime-classpath.txt.
   */
  private Path fakeModule() throws Exception {
    Path module = temp.resolve("module");
    Files.createDirectories(module.resolve("target/classes"));
    Files.writeString(
        module.resolve("target/runtime-classpath.txt"), System.getProperty("java.class.path"));
    return module;
  }
}
