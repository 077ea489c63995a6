package io.bptemporal.observability;

import io.bptemporal.observability.health.ReadinessChecks;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A worker process in miniature, wired exactly as docs/operations/metrics.md tells a worker main
 * to: telemetry first, its scope on the stubs, its interceptors on the client and the factory,
 * readiness checks for Temporal and polling. Each instance polls its own task queue.
 */
final class ObservedWorker implements AutoCloseable {
  static final String NAMESPACE = "default";

  final Telemetry telemetry;
  final WorkflowServiceStubs stubs;
  final WorkflowClient client;
  final WorkerFactory factory;
  final String taskQueue;

  private ObservedWorker(
      Telemetry telemetry,
      WorkflowServiceStubs stubs,
      WorkflowClient client,
      WorkerFactory factory,
      String taskQueue) {
    this.telemetry = telemetry;
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
    this.taskQueue = taskQueue;
  }

  /**
   * Tracing into {@link MemorySpanExporterProvider#SPANS}, exported within ~50 ms of a span's end.
   */
  static Map<String, String> tracingToMemory() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_TRACES_EXPORTER", "memory");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
    env.put("MANAGEMENT_PORT", "0");
    return env;
  }

  static ObservedWorker start(String temporalAddress, Map<String, String> environment) {
    String taskQueue =
        ObservedWorkflow.TASK_QUEUE + "-" + UUID.randomUUID().toString().substring(0, 8);
    Telemetry telemetry =
        Telemetry.start(
            TelemetryConfig.fromEnvironment(environment::get, "observability-it")
                .withWorkerTags(NAMESPACE, taskQueue));
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalAddress)
                .setMetricsScope(telemetry.temporalMetricsScope())
                .build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace(NAMESPACE)
                .setInterceptors(telemetry.workflowClientInterceptors())
                .build());
    WorkerFactory factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(telemetry.workerInterceptors())
                .build());
    var worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(ObservedWorkflow.Impl.class);
    worker.registerActivitiesImplementations(new ObservedWorkflow.ProbesImpl());
    telemetry
        .health()
        .register(ReadinessChecks.temporalReachable(stubs))
        .register(ReadinessChecks.workerPolling(factory, taskQueue));
    factory.start();
    return new ObservedWorker(telemetry, stubs, client, factory, taskQueue);
  }

  ObservedWorkflow newWorkflow(String workflowId) {
    return client.newWorkflowStub(
        ObservedWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(taskQueue)
            .setWorkflowId(workflowId)
            .setWorkflowRunTimeout(Duration.ofSeconds(60))
            .build());
  }

  HttpResponse<String> get(String path) {
    URI uri = telemetry.managementUri().resolve(path);
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during GET " + uri, e);
    }
  }

  String metrics() {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    stubs.shutdown();
    telemetry.close();
  }
}
