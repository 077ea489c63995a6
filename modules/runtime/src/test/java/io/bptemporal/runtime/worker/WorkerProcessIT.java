package io.bptemporal.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.StackPorts;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker process as Kubernetes runs it (its own JVM): ready only while polling; on SIGTERM it stops
 * polling at once (not ready), lets the in-flight activity finish within the grace period, exits 0, and
 * the activity's result is kept for the replica that carries the workflow on.
 */
@ExtendWith(DevStackExtension.class)
class WorkerProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sigtermStopsPollingFinishesInFlightWorkAndExitsZero(StackEndpoints stack) throws Exception {
    String taskQueue = "slow-it-" + UUID.randomUUID();
    int port = StackPorts.freePort();
    Process worker = startWorker(stack, Map.of("TEMPORAL_TASK_QUEUE", taskQueue, "MANAGEMENT_PORT", Integer.toString(port),
        "ACTIVITY_SECONDS", "4", "SHUTDOWN_GRACE_SECONDS", "30"));
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> activityStarted = pump(worker, output);
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    Process replacement = null;
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    try {
      awaitStatus(readyz, 200, Duration.ofSeconds(60), output);
      WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      SlowWorkflow workflow = client.newWorkflowStub(SlowWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId("slow-" + UUID.randomUUID()).build());
      CompletableFuture<String> result = WorkflowClient.execute(workflow::run);
      try {
        activityStarted.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the activity did not start; worker output:\n" + String.join("\n", output), e);
      }

      new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid())).start().waitFor();

      awaitStatus(readyz, 503, Duration.ofSeconds(3), output);
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("worker exits within its grace period").isTrue();
      assertThat(worker.exitValue()).as("exit status after a graceful stop; output:%n%s", String.join("\n", output)).isZero();
      assertThat(output).as("the in-flight activity ran to its end before the exit").anyMatch(l -> l.contains("worker stopped"));

      // The stopped worker polls no more: the workflow's next task waits for another replica, which finds the
      // activity's result already recorded (the pid in it is the stopped worker's) instead of running it again.
      replacement = startWorker(stack, Map.of("TEMPORAL_TASK_QUEUE", taskQueue, "MANAGEMENT_PORT",
          Integer.toString(StackPorts.freePort())));
      assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("done after 4s in pid " + worker.pid());
    } finally {
      worker.destroyForcibly();
      if (replacement != null) {
        replacement.destroyForcibly();
      }
      stubs.shutdownNow();
    }
  }

  /**
   * On a cluster the worker pods start beside a server that is still coming up and before the namespace Job
   * has run: the worker waits (not ready, saying for what) and starts polling once the namespace exists,
   * instead of dying half-closed (the SDK's start fails on the first UNAVAILABLE or NOT_FOUND).
   */
  @Test
  void waitsForItsNamespaceThenPolls(StackEndpoints stack) throws Exception {
    String namespace = "late-" + UUID.randomUUID().toString().substring(0, 8);
    int port = StackPorts.freePort();
    Process worker = startWorker(stack, Map.of("TEMPORAL_NAMESPACE", namespace, "TEMPORAL_TASK_QUEUE", "late-tq",
        "MANAGEMENT_PORT", Integer.toString(port)));
    List<String> output = new CopyOnWriteArrayList<>();
    pump(worker, output);
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    try {
      awaitOutput(output, "namespace " + namespace + " does not exist yet", Duration.ofSeconds(60));
      awaitStatus(readyz, 503, Duration.ofSeconds(10), output);
      assertThat(worker.isAlive()).as("waiting, not dead; output:%n%s", String.join("\n", output)).isTrue();

      stubs.blockingStub().registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(namespace)
          .setWorkflowExecutionRetentionPeriod(com.google.protobuf.Duration.newBuilder().setSeconds(86_400).build()).build());

      awaitStatus(readyz, 200, Duration.ofSeconds(120), output);
      assertThat(output).anyMatch(l -> l.contains("namespace " + namespace + " answers"));
    } finally {
      worker.destroyForcibly();
      stubs.shutdownNow();
    }
  }

  /** An unreachable frontend: the worker waits not-ready, and SIGTERM still ends it at once with exit 0. */
  @Test
  void waitsForAnUnreachableFrontendAndStillStopsOnSigterm(StackEndpoints stack) throws Exception {
    int port = StackPorts.freePort();
    Process worker = startWorker(stack, Map.of("TEMPORAL_ADDRESS", "127.0.0.1:" + StackPorts.freePort(),
        "TEMPORAL_TASK_QUEUE", "nowhere-tq", "MANAGEMENT_PORT", Integer.toString(port)));
    List<String> output = new CopyOnWriteArrayList<>();
    pump(worker, output);
    try {
      awaitOutput(output, "is not answering yet", Duration.ofSeconds(60));
      awaitStatus(URI.create("http://127.0.0.1:" + port + "/readyz"), 503, Duration.ofSeconds(10), output);

      new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid())).start().waitFor();

      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM while waiting; output:%n%s",
          String.join("\n", output)).isTrue();
      assertThat(worker.exitValue()).isZero();
    } finally {
      worker.destroyForcibly();
    }
  }

  private static void awaitOutput(List<String> output, String text, Duration timeout) {
    try {
      Awaitility.await("a line containing '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(100))
          .until(() -> output.stream().anyMatch(l -> l.contains(text)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; output:\n" + String.join("\n", output), e);
    }
  }

  @Test
  void invalidEnvironmentStopsAtStartWithEveryProblemNamed(StackEndpoints stack) throws Exception {
    Process worker = startWorker(stack, Map.of("TEMPORAL_ADDRESS", "no-port", "MANAGEMENT_PORT", "http", "LOG_FORMAT", "xml",
        "SHUTDOWN_GRACE_SECONDS", "soon"));
    String output = new String(worker.getInputStream().readAllBytes());

    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isEqualTo(2);
    assertThat(output).contains("slow-worker: invalid configuration:")
        .contains("TEMPORAL_ADDRESS='no-port' is not accepted")
        .contains("MANAGEMENT_PORT='http'")
        .contains("LOG_FORMAT='xml'")
        .contains("SHUTDOWN_GRACE_SECONDS='soon'")
        .doesNotContain("\tat ");
  }

  private static Process startWorker(StackEndpoints stack, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
        "-cp", System.getProperty("java.class.path"), SlowWorkerMain.class.getName()).redirectErrorStream(true);
    builder.environment().put("TEMPORAL_ADDRESS", stack.temporalAddress());
    builder.environment().put("TEMPORAL_NAMESPACE", "default");
    builder.environment().put("LOG_FORMAT", "text");
    builder.environment().putAll(env);
    return builder.start();
  }

  private static CompletableFuture<Void> pump(Process process, List<String> output) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          if (line.contains("activity started")) {
            started.complete(null);
          }
        }
      } catch (java.io.IOException closed) {
        // process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    return started;
  }

  private void awaitStatus(URI uri, int expected, Duration timeout, List<String> output) {
    int[] last = {-1};
    try {
      Awaitility.await(uri + " answers " + expected).atMost(timeout).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            try {
              last[0] = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                  HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException notYet) {
              // not listening yet
            }
            return last[0] == expected;
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(uri + " answered " + last[0] + ", not " + expected + ", within " + timeout
          + "; worker output:\n" + String.join("\n", output), e);
    }
  }
}
