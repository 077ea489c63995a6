package io.bptemporal.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.StackPorts;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker process as Kubernetes runs it (its own JVM): ready only while polling; on SIGTERM it
 * stops polling at once (not ready), lets the in-flight activity finish within the grace period,
 * exits 0, and the activity's result is kept for the replica that carries the workflow on.
 */
@ExtendWith(DevStackExtension.class)
class WorkerProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sigtermStopsPollingFinishesInFlightWorkAndExitsZero(StackEndpoints stack) throws Exception {
    String taskQueue = "slow-it-" + UUID.randomUUID();
    int port = StackPorts.freePort();
    WorkerProcess worker =
        startWorker(
            stack,
            "slow-worker",
            Map.of(
                "TEMPORAL_TASK_QUEUE",
                taskQueue,
                "MANAGEMENT_PORT",
                Integer.toString(port),
                "ACTIVITY_SECONDS",
                "4",
                "SHUTDOWN_GRACE_SECONDS",
                "30"));
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    WorkerProcess replacement = null;
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    try {
      awaitStatus(readyz, 200, Duration.ofSeconds(60), worker);
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      SlowWorkflow workflow =
          client.newWorkflowStub(
              SlowWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(taskQueue)
                  .setWorkflowId("slow-" + UUID.randomUUID())
                  .build());
      CompletableFuture<String> result = WorkflowClient.execute(workflow::run);
      awaitOutput(worker, "activity started", Duration.ofSeconds(30));

      worker.sigterm();

      awaitStatus(readyz, 503, Duration.ofSeconds(3), worker);
      int status =
          worker.awaitExit(Duration.ofSeconds(30)); // fails unless it exits within its grace period
      assertThat(status)
          .as("exit status after a graceful stop; output:%n%s", String.join("\n", worker.lines()))
          .isZero();
      assertThat(worker.lines())
          .as("the in-flight activity ran to its end before the exit")
          .anyMatch(l -> l.contains("worker stopped"));

      // The stopped worker polls no more: the workflow's next task waits for another replica, which
      // finds the
      // activity's result already recorded (the pid in it is the stopped worker's) instead of
      // running it again.
      replacement =
          startWorker(stack, "slow-worker-replacement", Map.of("TEMPORAL_TASK_QUEUE", taskQueue));
      assertThat(result.get(60, TimeUnit.SECONDS))
          .isEqualTo("done after 4s in pid " + worker.pid());
    } finally {
      worker.close();
      if (replacement != null) {
        replacement.close();
      }
      stubs.shutdownNow();
    }
  }

  /**
   * On a cluster the worker pods start beside a server that is still coming up and before the
   * namespace Job has run: the worker waits (not ready, saying for what) and starts polling once
   * the namespace exists, instead of dying half-closed (the SDK's start fails on the first
   * UNAVAILABLE or NOT_FOUND).
   */
  @Test
  void waitsForItsNamespaceThenPolls(StackEndpoints stack) throws Exception {
    String namespace = "late-" + UUID.randomUUID().toString().substring(0, 8);
    int port = StackPorts.freePort();
    WorkerProcess worker =
        startWorker(
            stack,
            "late-worker",
            Map.of(
                "TEMPORAL_NAMESPACE",
                namespace,
                "TEMPORAL_TASK_QUEUE",
                "late-tq",
                "MANAGEMENT_PORT",
                Integer.toString(port)));
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    try {
      awaitOutput(worker, "namespace " + namespace + " does not exist yet", Duration.ofSeconds(60));
      awaitStatus(readyz, 503, Duration.ofSeconds(10), worker);
      assertThat(worker.isAlive())
          .as("waiting, not dead; output:%n%s", String.join("\n", worker.lines()))
          .isTrue();

      stubs
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace(namespace)
                  .setWorkflowExecutionRetentionPeriod(
                      com.google.protobuf.Duration.newBuilder().setSeconds(86_400).build())
                  .build());

      awaitStatus(readyz, 200, Duration.ofSeconds(120), worker);
      assertThat(worker.lines()).anyMatch(l -> l.contains("namespace " + namespace + " answers"));
    } finally {
      worker.close();
      stubs.shutdownNow();
    }
  }

  /**
   * An unreachable frontend: the worker waits not-ready, and SIGTERM still ends it at once with
   * exit 0.
   */
  @Test
  void waitsForAnUnreachableFrontendAndStillStopsOnSigterm(StackEndpoints stack) throws Exception {
    int port = StackPorts.freePort();
    WorkerProcess worker =
        startWorker(
            stack,
            "unreachable-worker",
            Map.of(
                "TEMPORAL_ADDRESS",
                "127.0.0.1:" + StackPorts.freePort(),
                "TEMPORAL_TASK_QUEUE",
                "nowhere-tq",
                "MANAGEMENT_PORT",
                Integer.toString(port)));
    try {
      awaitOutput(worker, "is not answering yet", Duration.ofSeconds(60));
      awaitStatus(
          URI.create("http://127.0.0.1:" + port + "/readyz"), 503, Duration.ofSeconds(10), worker);

      // Exits on SIGTERM while waiting, within the test's 30 s (awaitExit fails otherwise), with
      // status 0.
      assertThat(worker.terminate(Duration.ofSeconds(30))).isZero();
    } finally {
      worker.close();
    }
  }

  private static void awaitOutput(WorkerProcess worker, String text, Duration timeout) {
    try {
      Awaitility.await("a line containing '" + text + "'")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !worker.linesContaining(text).isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "; output:\n" + String.join("\n", worker.lines()), e);
    }
  }

  @Test
  void invalidEnvironmentStopsAtStartWithEveryProblemNamed(StackEndpoints stack) throws Exception {
    WorkerProcess worker =
        startWorker(
            stack,
            "misconfigured-worker",
            Map.of(
                "TEMPORAL_ADDRESS",
                "no-port",
                "MANAGEMENT_PORT",
                "http",
                "LOG_FORMAT",
                "xml",
                "SHUTDOWN_GRACE_SECONDS",
                "soon"));

    int status = worker.awaitExit(Duration.ofSeconds(30));
    String output = String.join("\n", worker.lines());
    assertThat(status).as(output).isEqualTo(2);
    assertThat(output)
        .contains("slow-worker: invalid configuration:")
        .contains("TEMPORAL_ADDRESS='no-port' is not accepted")
        .contains("MANAGEMENT_PORT='http'")
        .contains("LOG_FORMAT='xml'")
        .contains("SHUTDOWN_GRACE_SECONDS='soon'")
        .doesNotContain("\tat ");
  }

  /** The slow worker by the shared launcher; its log is target/worker-logs/<name>-<random>.log. */
  private static WorkerProcess startWorker(
      StackEndpoints stack, String name, Map<String, String> env) {
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "TEMPORAL_ADDRESS",
                stack.temporalAddress(),
                "TEMPORAL_NAMESPACE",
                "default",
                "LOG_FORMAT",
                "text"));
    environment.putAll(env);
    return WorkerProcess.start(
        name,
        WorkerProcess.testClasspathCommand(SlowWorkerMain.class.getName(), List.of()),
        environment,
        Path.of("target/worker-logs")
            .toAbsolutePath()
            .resolve(name + "-" + UUID.randomUUID() + ".log"));
  }

  private void awaitStatus(URI uri, int expected, Duration timeout, WorkerProcess worker) {
    int[] last = {-1};
    try {
      Awaitility.await(uri + " answers " + expected)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  last[0] =
                      http.send(
                              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode();
                } catch (java.io.IOException notYet) {
                  // not listening yet
                }
                return last[0] == expected;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          uri
              + " answered "
              + last[0]
              + ", not "
              + expected
              + ", within "
              + timeout
              + "; worker output:\n"
              + String.join("\n", worker.lines()),
          e);
    }
  }
}
