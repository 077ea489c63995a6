package io.bptemporal.devstack.junit;

import io.bptemporal.devstack.StackPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A worker process (any main class on the test's classpath) in its own JVM, started as Kubernetes would start its
 * image: environment in, /readyz and /metrics on a free MANAGEMENT_PORT, output collected for assertions.
 */
public final class WorkerProcessHandle implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public final String name;
  public final Process process;
  public final int managementPort;
  public final List<String> output = new CopyOnWriteArrayList<>();

  private WorkerProcessHandle(String name, Process process, int managementPort) {
    this.name = name;
    this.process = process;
    this.managementPort = managementPort;
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }, name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code main} from the test classpath with {@code env} (plus MANAGEMENT_PORT and LOG_FORMAT=text). */
  public static WorkerProcessHandle start(String name, Class<?> main, Map<String, String> env) throws IOException {
    int port = StackPorts.freePort();
    ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), main.getName()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("MANAGEMENT_PORT", Integer.toString(port));
    builder.environment().put("LOG_FORMAT", "text");
    return new WorkerProcessHandle(name, builder.start(), port);
  }

  /**
   * /readyz answers 200 and the worker says it polls. Both: an observability build from before the fix answered 200
   * for a moment at start-up, before the worker had registered its checks, while the schema was still migrating.
   */
  public void awaitReady(Duration timeout) {
    URI readyz = URI.create("http://127.0.0.1:" + managementPort + "/readyz");
    try {
      Awaitility.await(name + " ready (/readyz 200 and polling its task queue)").atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .failFast(name + " exited before it was ready", () -> !process.isAlive())
          .until(() -> {
            try {
              return HTTP.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                  && !linesContaining("polling task queue").isEmpty();
            } catch (IOException notYet) {
              return false; // not listening yet
            }
          });
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError(e.getMessage() + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
          + ":\n" + String.join("\n", output), e);
    }
  }

  /**
   * The sum of the samples on /metrics whose line matches {@code sample}; its last group is the value, e.g.
   * {@code ^bp_pipeline_rows_total\{[^}]*} ([0-9.eE+-]+)$}.
   */
  public long metricSum(Pattern sample) throws IOException, InterruptedException {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    double total = 0;
    for (String line : metrics.split("\n")) {
      Matcher m = sample.matcher(line.strip());
      if (m.matches()) {
        total += Double.parseDouble(m.group(m.groupCount()));
      }
    }
    return Math.round(total);
  }

  public List<String> linesContaining(String text) {
    return output.stream().filter(l -> l.contains(text)).toList();
  }

  public void kill() throws InterruptedException {
    // destroyForcibly is SIGKILL on Unix: no shutdown hook, no graceful stop, open transactions die with it.
    process.destroyForcibly();
    process.waitFor();
  }

  public int terminate(Duration timeout) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not stop within " + timeout + " after SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
