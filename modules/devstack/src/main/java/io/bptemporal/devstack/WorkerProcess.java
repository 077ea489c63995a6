package io.bptemporal.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Java process of the platform (a worker, the scheduler) started for a test the way {@code make
 * run} and a Deployment start it — its own JVM, the environment contract, a free {@code
 * MANAGEMENT_PORT} — and awaited until {@code /readyz} answers 200. The one launcher of the module
 * and system tests; it runs the process as a {@link ManagedProcess}, as {@link AppLauncher} does,
 * so its output goes to a log file and a failure to get ready reports the process's last lines.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ManagedProcess process;
  private final int managementPort;
  private final Path log;

  private WorkerProcess(ManagedProcess process, int managementPort, Path log) {
    this.process = process;
    this.managementPort = managementPort;
    this.log = log;
  }

  /**
   * {@code java [BP_JAVA_OPTS] <jvmOptions> -cp
   * <module>/target/classes:<module>/target/runtime-classpath.txt <mainClass>}: the module's build,
   * as {@code make run} starts it.
   */
  public static List<String> moduleCommand(Path module, String mainClass, List<String> jvmOptions) {
    Path classes = module.resolve("target/classes");
    Path classpathFile = module.resolve("target/runtime-classpath.txt");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
      throw new DevStackException(
          classes
              + " or "
              + classpathFile
              + " is missing: the classpath file is written when"
              + " the module is packaged; run the test through 'mvn verify'");
    }
    try {
      return command(
          classes + File.pathSeparator + Files.readString(classpathFile).strip(),
          mainClass,
          jvmOptions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classpathFile + ": " + e.getMessage(), e);
    }
  }

  /** The same with the test's own classpath: for a main class that lives beside the tests. */
  public static List<String> testClasspathCommand(String mainClass, List<String> jvmOptions) {
    return command(System.getProperty("java.class.path"), mainClass, jvmOptions);
  }

  /**
   * {@code java [BP_JAVA_OPTS] <jvmOptions> -cp <classpath> <mainClass>} with this JVM's {@code
   * java}: also the Kafka broker's command line.
   */
  static List<String> command(String classpath, String mainClass, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    String javaOpts = System.getenv("BP_JAVA_OPTS");
    if (javaOpts != null && !javaOpts.isBlank()) {
      command.addAll(List.of(javaOpts.strip().split("\\s+")));
    }
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, mainClass));
    return command;
  }

  /**
   * Starts {@code command} with {@code env}; {@code MANAGEMENT_PORT} is a free port unless {@code
   * env} sets it. Output (stdout and stderr) goes to {@code log}, appended. An exit is not reported
   * anywhere: a test asks for it ({@link #awaitExit}) or {@link #awaitReady} fails with it.
   */
  public static WorkerProcess start(
      String name, List<String> command, Map<String, String> env, Path log) {
    Map<String, String> environment = new HashMap<>(env);
    environment.computeIfAbsent(
        "MANAGEMENT_PORT", unset -> Integer.toString(StackPorts.freePort()));
    int port;
    try {
      port = Integer.parseInt(environment.get("MANAGEMENT_PORT"));
    } catch (NumberFormatException notAPort) {
      port = -1; // a test of a bad MANAGEMENT_PORT: the process refuses it, nothing here polls it
    }
    ManagedProcess process =
        ManagedProcess.start(name, command, environment, log.toAbsolutePath(), false, exit -> {});
    return new WorkerProcess(process, port, log.toAbsolutePath());
  }

  /**
   * Until {@code /readyz} answers 200; fails at once, with the last lines, when the process exits
   * first.
   */
  public void awaitReady(Duration timeout) {
    awaitReady(timeout, "ready", () -> true);
  }

  /** As {@link #awaitReady(Duration)}, and {@code also} holds too (e.g. a line in the output). */
  public void awaitReady(Duration timeout, String what, ManagedProcess.ReadinessCheck also) {
    URI readyz = URI.create("http://127.0.0.1:" + managementPort + "/readyz");
    process.awaitReady(
        what + " (" + readyz + " answers 200)",
        timeout,
        () ->
            HTTP.send(
                            HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200
                && also.check());
  }

  public int managementPort() {
    return managementPort;
  }

  public URI managementUri() {
    return URI.create("http://127.0.0.1:" + managementPort);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Every line the process printed so far (the whole log, not only the last lines). */
  public List<String> lines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log + ": " + e.getMessage(), e);
    }
  }

  public List<String> linesContaining(String text) {
    return lines().stream().filter(line -> line.contains(text)).toList();
  }

  /** SIGKILL: no shutdown hook, no graceful stop, in-flight work is simply lost. */
  public void kill() {
    process.close();
  }

  /** SIGTERM, then the exit status: the process must stop gracefully within {@code timeout}. */
  public int terminate(Duration timeout) {
    if (!process.stop("TERM", timeout)) {
      throw new DevStackException(
          this + " did not stop within " + timeout + " of SIGTERM and was killed; see " + log);
    }
    process.waitFor(Duration.ofSeconds(2)); // the output's last lines
    return process.exitCode();
  }

  /**
   * Sends SIGTERM and returns at once: for a test that watches the graceful stop ({@link
   * #awaitExit} ends it).
   */
  public void sigterm() {
    try {
      new ProcessBuilder("kill", "-TERM", Long.toString(pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal " + this + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while signalling " + this, e);
    }
  }

  /**
   * SIGTERM (graceful stop), SIGKILL if it outlives {@code grace}: for cleaning up, where the exit
   * does not matter.
   */
  public void stop(Duration grace) {
    process.stop("TERM", grace);
  }

  /**
   * The exit status of a process expected to end by itself within {@code timeout}; killed
   * otherwise.
   */
  public int awaitExit(Duration timeout) {
    if (!process.waitFor(timeout)) {
      process.close();
      throw new DevStackException(this + " still runs after " + timeout + "; see " + log);
    }
    return process.exitCode();
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
