package io.bptemporal.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the processes of a {@link RunPlan} against a running stack, with the environment contract
 * of docs/operations/configuration.md, and stops the services again (SIGTERM, then their grace
 * period).
 */
public final class AppLauncher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AppLauncher.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final java.util.regex.Pattern JDBC_PLACEHOLDER =
      java.util.regex.Pattern.compile("\\$\\{jdbc:([a-z_][a-z0-9_]*)}");

  private final StackEndpoints stack;
  private final Path logDir;
  private final Consumer<ChildCrash> onCrash;

  /** Services, and the task while it runs; guarded by itself. */
  private final List<ManagedProcess> processes = new ArrayList<>();

  private boolean closed;

  public AppLauncher(StackEndpoints stack, Path logDir, Consumer<ChildCrash> onCrash) {
    this.stack = stack;
    this.logDir = logDir;
    this.onCrash = onCrash;
  }

  /**
   * Runs the plan in order: a service is started and awaited ready, a task runs to completion.
   * After {@link #close()} (a Ctrl-C may come while the plan starts) nothing more is started, and a
   * process that was just starting is stopped at once: each app runs in a session of its own and
   * would outlive the launcher.
   */
  public void run(RunPlan plan) {
    // Before any app: the scheduler grants the registry reader at its start and fails on a role
    // that is missing.
    for (String role : plan.roles()) {
      stack.postgres().ensureLoginRole(role, role + "-dev");
    }
    for (RunPlan.App app : plan.apps()) {
      Map<String, String> env = environment(app);
      List<String> command = command(app);
      if (app.kind() == RunPlan.Kind.TASK) {
        log.info("running {} ({})", app.name(), app.mainClass());
        List<ManagedProcess> task = new ArrayList<>(1);
        try {
          ManagedProcess.runToCompletion(
              app.name(),
              command,
              env,
              logDir.resolve(app.name() + ".log"),
              Duration.ofMinutes(10),
              true,
              started -> {
                task.add(started);
                track(started);
              });
        } finally {
          task.forEach(this::untrack);
        }
        continue;
      }
      ManagedProcess process =
          track(
              ManagedProcess.start(
                  app.name(), command, env, logDir.resolve(app.name() + ".log"), true, onCrash));
      URI readyz = URI.create("http://127.0.0.1:" + env.get("MANAGEMENT_PORT") + "/readyz");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      process.awaitReady(
          "ready on " + readyz,
          Duration.ofSeconds(90),
          () ->
              http.send(
                          HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200);
      log.info("{} ready (pid {}, {})", app.name(), process.pid(), readyz.resolve("/metrics"));
    }
  }

  /**
   * Keeps {@code process} for {@link #close()}; stops it at once when the launcher is already
   * closed.
   */
  private ManagedProcess track(ManagedProcess process) {
    synchronized (processes) {
      if (!closed) {
        processes.add(process);
        return process;
      }
    }
    process.stop("TERM", SHUTDOWN_GRACE.plusSeconds(5));
    throw new DevStackException("stopping: " + process + " was not left running");
  }

  private void untrack(ManagedProcess process) {
    synchronized (processes) {
      processes.remove(process);
    }
  }

  private Map<String, String> environment(RunPlan.App app) {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    stack.uiUrl().ifPresent(ui -> env.put("TEMPORAL_UI_URL", ui.toString()));
    // DEVSTACK_TLS / DEVSTACK_AUTH: a client certificate and a token of the app's own.
    env.putAll(stack.temporalClientEnv(app.name()));
    env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    env.put("MANAGEMENT_PORT", Integer.toString(StackPorts.freePort()));
    env.put("LOG_FORMAT", "text");
    env.put("SHUTDOWN_GRACE_SECONDS", Long.toString(SHUTDOWN_GRACE.toSeconds()));
    app.database()
        .ifPresent(
            db -> {
              // Development-only credentials: the role is named after its database, as the chart's
              // app roles are.
              String password = db + "-dev";
              env.put("DB_URL", stack.postgres().ensureDatabase(db, db, password));
              env.put("DB_USER", db);
              env.put("DB_PASSWORD", password);
            });
    // ${jdbc:<database>} in a value stands for the stack's JDBC URL of that database (its port is
    // only known now).
    app.env()
        .forEach(
            (name, value) ->
                env.put(
                    name,
                    JDBC_PLACEHOLDER
                        .matcher(value)
                        .replaceAll(
                            m ->
                                java.util.regex.Matcher.quoteReplacement(
                                    stack.postgres().jdbcUrl(m.group(1))))));
    return env;
  }

  private static List<String> command(RunPlan.App app) {
    Path classes = app.module().resolve("target/classes");
    Path classpathFile = app.module().resolve("target/runtime-classpath.txt");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
      throw new DevStackException(
          app.name() + ": " + classes + " or " + classpathFile + " is missing; run 'make build'");
    }
    String classpath;
    try {
      classpath = classes + java.io.File.pathSeparator + Files.readString(classpathFile).strip();
    } catch (IOException e) {
      throw new DevStackException("cannot read " + classpathFile + ": " + e.getMessage(), e);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    String javaOpts = System.getenv("BP_JAVA_OPTS");
    if (javaOpts != null && !javaOpts.isBlank()) {
      command.addAll(List.of(javaOpts.strip().split("\\s+")));
    }
    command.addAll(List.of("-cp", classpath, app.mainClass()));
    command.addAll(app.args());
    return command;
  }

  /**
   * SIGTERM to every service (and a running task), newest first, each given its grace plus a
   * margin.
   */
  @Override
  public void close() {
    List<ManagedProcess> running;
    synchronized (processes) {
      closed = true;
      running = new ArrayList<>(processes);
      processes.clear();
    }
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).stop("TERM", SHUTDOWN_GRACE.plusSeconds(5));
    }
  }
}
