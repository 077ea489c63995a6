package io.bptemporal.observability.health;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Ready-made checks for the dependencies every bp-temporal process has. */
public final class ReadinessChecks {
  public static final String TEMPORAL_REACHABLE = "Temporal reachable";
  public static final String WORKER_POLLING = "worker polling";
  public static final String DATABASE_REACHABLE = "database reachable";

  private ReadinessChecks() {}

  /**
   * The frontend answers the gRPC health check with SERVING, through the same channel (TLS, API
   * key) the process's client uses.
   */
  public static ReadinessCheck temporalReachable(WorkflowServiceStubs stubs) {
    return new ReadinessCheck(
        TEMPORAL_REACHABLE,
        () -> {
          HealthCheckResponse response = stubs.healthCheck();
          HealthCheckResponse.ServingStatus status = response.getStatus();
          return status == HealthCheckResponse.ServingStatus.SERVING
              ? CheckResult.healthy("frontend SERVING")
              : CheckResult.unhealthy("frontend answered " + status);
        });
  }

  /**
   * The worker factory has started and is not shutting down, and the worker of each named task
   * queue exists and has not suspended polling. A worker that is shutting down (SIGTERM) stops
   * being ready, so the Service stops routing to it while in-flight tasks finish.
   */
  public static ReadinessCheck workerPolling(WorkerFactory factory, String... taskQueues) {
    List<String> queues = List.of(taskQueues);
    return new ReadinessCheck(
        WORKER_POLLING,
        () -> {
          if (factory.isShutdown() || factory.isTerminated()) {
            return CheckResult.unhealthy("worker factory is shutting down");
          }
          if (!factory.isStarted()) {
            return CheckResult.unhealthy("worker factory not started yet");
          }
          List<String> problems = new ArrayList<>();
          for (String queue : queues) {
            Worker worker = factory.tryGetWorker(queue);
            if (worker == null) {
              problems.add("no worker for task queue " + queue);
            } else if (worker.isSuspended()) {
              problems.add("polling suspended on task queue " + queue);
            }
          }
          return problems.isEmpty()
              ? CheckResult.healthy(
                  queues.isEmpty()
                      ? "worker factory started"
                      : "polling " + String.join(", ", queues))
              : CheckResult.unhealthy(String.join("; ", problems));
        });
  }

  /** A connection from the pool passes {@link Connection#isValid} within one second. */
  public static ReadinessCheck databaseReachable(DataSource dataSource) {
    return new ReadinessCheck(
        DATABASE_REACHABLE,
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1)
                ? CheckResult.healthy("connection valid")
                : CheckResult.unhealthy("connection did not validate within 1 s");
          }
        });
  }
}
