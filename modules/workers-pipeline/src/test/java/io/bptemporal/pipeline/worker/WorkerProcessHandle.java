package io.bptemporal.pipeline.worker;

import io.bptemporal.devstack.WorkerProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline worker in its own JVM, started from the test classpath as Kubernetes would start the
 * image, by the shared launcher ({@link WorkerProcess}); this adds only what the pipeline tests
 * read from it: its row counts.
 */
final class WorkerProcessHandle implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern ROWS =
      Pattern.compile(
          "^bp_pipeline_rows_total\\{[^}]*outcome=\"(loaded|quarantined)\"[^}]*} ([0-9.eE+-]+)$");

  private final WorkerProcess process;

  private WorkerProcessHandle(WorkerProcess process) {
    this.process = process;
  }

  static WorkerProcessHandle start(String name, Map<String, String> env) {
    Map<String, String> environment = new HashMap<>(env);
    environment.put("LOG_FORMAT", "text");
    Path log =
        Path.of("target/worker-logs")
            .toAbsolutePath()
            .resolve(name + "-" + UUID.randomUUID() + ".log");
    return new WorkerProcessHandle(
        WorkerProcess.start(
            name,
            WorkerProcess.testClasspathCommand(
                PipelineWorkerMain.class.getName(), List.of("-Xmx512m")),
            environment,
            log));
  }

  /**
   * /readyz answers 200 and the worker says it polls. Both: an observability build from before the
   * fix answered 200 for a moment at start-up, before the worker had registered its checks, while
   * the schema was still migrating.
   */
  void awaitReady(Duration timeout) {
    process.awaitReady(
        timeout, "polling its task queue", () -> !linesContaining("polling task queue").isEmpty());
  }

  /** loaded + quarantined rows this process counted ({@code bp_pipeline_rows_total}). */
  long rowsCounted() throws IOException, InterruptedException {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(process.managementUri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double total = 0;
    for (String line : metrics.split("\n")) {
      Matcher m = ROWS.matcher(line.strip());
      if (m.matches()) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return Math.round(total);
  }

  long pid() {
    return process.pid();
  }

  List<String> output() {
    return process.lines();
  }

  List<String> linesContaining(String text) {
    return process.linesContaining(text);
  }

  /** SIGKILL: no shutdown hook, no graceful stop, open transactions die with it. */
  void kill() {
    process.kill();
  }

  int terminate(Duration timeout) {
    return process.terminate(timeout);
  }

  @Override
  public void close() {
    process.close();
  }
}
