package io.bptemporal.systemtests.polyglot;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A worker as its own OS process, started the way {@code make run} starts it: {@code java -cp
 * <module>/target/classes:<module>/target/runtime-classpath.txt Main} with the environment contract.
 */
final class OsProcess {
  private final String name;
  private final Process process;
  private final int managementPort;
  private final Path log;

  private OsProcess(String name, Process process, int managementPort, Path log) {
    this.name = name;
    this.process = process;
    this.managementPort = managementPort;
    this.log = log;
  }

  static OsProcess java(String name, String module, Class<?> main, Map<String, String> environment, Path logs)
      throws IOException {
    Path dir = Polyglot.root().resolve(module);
    Path classpathFile = dir.resolve("target/runtime-classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(classpathFile + " is missing: it is written when " + module + " is packaged;"
          + " run the test through 'mvn verify'");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    String javaOpts = System.getenv("BP_JAVA_OPTS");
    if (javaOpts != null && !javaOpts.isBlank()) {
      command.addAll(List.of(javaOpts.strip().split("\\s+")));
    }
    command.addAll(List.of("-Xmx256m", "-cp", dir.resolve("target/classes") + ":" + Files.readString(classpathFile).strip(),
        main.getName()));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(environment);
    env.put("MANAGEMENT_PORT", Integer.toString(port));
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(env);
    return new OsProcess(name, builder.start(), port, log);
  }

  /** Waits until /readyz answers 200 (Temporal reachable, worker polling, database reachable). */
  void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI readyz = URI.create("http://127.0.0.1:" + managementPort + "/readyz");
    Awaitility.await(name + " ready (see " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(200))
        .failFast(name + " exited before it was ready; see " + log, () -> !process.isAlive())
        .until(() -> {
          try {
            return http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          } catch (IOException notYet) {
            return false; // the management server is not up yet
          }
        });
  }

  /** SIGTERM (graceful stop), SIGKILL if it outlives {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
