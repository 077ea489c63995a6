package io.bptemporal.runtime.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.bptemporal.observability.Telemetry;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.health.ReadinessChecks;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.process.ProcessLifecycle;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a worker process, the same for every worker, on the platform's one {@link
 * ProcessLifecycle}: telemetry first (so start-up problems are logged and /healthz answers), the
 * Temporal connection with the telemetry's metrics scope and interceptors, one worker on the
 * configured task queue, readiness checks (Temporal reachable, worker polling, database reachable)
 * and, on SIGTERM or SIGINT, a graceful shutdown: stop polling, let in-flight tasks finish within
 * the grace period, then close everything and return so the process exits 0.
 *
 * <pre>{@code
 * try (WorkerProcess process = WorkerProcess.start(settings)) {
 *   DataSource db = process.database(databaseSettings);
 *   process.registerWorkflowImplementationTypes(OrderSagaWorkflowImpl.class);
 *   process.registerActivitiesImplementations(new OrderActivitiesImpl(db));
 *   process.runUntilStopped();
 * }
 * }</pre>
 */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  private final WorkerSettings settings;
  private final ProcessLifecycle lifecycle;
  private final Telemetry telemetry;
  private final TemporalConnection connection;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Worker worker;
  private static final Duration MAX_WAIT_BACKOFF = Duration.ofSeconds(10);

  private WorkerProcess(
      WorkerSettings settings, ProcessLifecycle lifecycle, TemporalConnection connection) {
    this.settings = settings;
    this.lifecycle = lifecycle;
    this.telemetry = lifecycle.telemetry();
    this.connection = connection;
    this.client = connection.client(List.of(telemetry.workflowClientInterceptors()));
    this.factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(telemetry.workerInterceptors())
                .build());
    this.worker = factory.newWorker(settings.temporal().taskQueue());
    telemetry
        .health()
        .register(ReadinessChecks.temporalReachable(connection.stubs()))
        .register(ReadinessChecks.workerPolling(factory, settings.temporal().taskQueue()));
  }

  /**
   * Starts telemetry and connects (lazily: an unreachable server makes the process not-ready, not
   * dead).
   */
  public static WorkerProcess start(WorkerSettings settings) {
    TemporalSettings temporal = settings.temporal();
    ProcessLifecycle lifecycle =
        ProcessLifecycle.start(
            settings.telemetry().withWorkerTags(temporal.namespace(), temporal.taskQueue()));
    try {
      // Registered first, so closed last of the resources: what the worker's activities use closes
      // before it.
      TemporalConnection connection =
          lifecycle.closeOnExit(
              TemporalConnection.open(
                  temporal, Optional.of(lifecycle.telemetry().temporalMetricsScope())));
      WorkerProcess process = new WorkerProcess(settings, lifecycle, connection);
      log.info(
          "{} connecting to {} (namespace {}, task queue {})",
          settings.telemetry().service(),
          temporal.address(),
          temporal.namespace(),
          temporal.taskQueue());
      return process;
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  public WorkflowClient client() {
    return client;
  }

  /**
   * Registers workflow implementations on the worker with the platform's options ({@link
   * ContractWorkflowOptions}): a payload that cannot be decoded fails the workflow with {@code
   * INVALID_INPUT} instead of retrying its workflow task forever. The {@link Worker} itself is not
   * handed out, so that no process can register a workflow without them.
   */
  public void registerWorkflowImplementationTypes(Class<?>... workflowImplementationTypes) {
    worker.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(), workflowImplementationTypes);
  }

  /**
   * Registers activity implementations on the worker (their payloads decode through the same
   * converter).
   */
  public void registerActivitiesImplementations(Object... activityImplementations) {
    worker.registerActivitiesImplementations(activityImplementations);
  }

  /** The process's database pool: checked by readiness, closed after the worker has stopped. */
  public HikariDataSource database(DatabaseSettings database) {
    HikariDataSource pool =
        lifecycle.closeOnExit(Databases.pool(database, settings.telemetry().service()));
    telemetry.health().register(ReadinessChecks.databaseReachable(pool));
    return pool;
  }

  /**
   * Closes {@code resource} when the process stops, after the worker (e.g. an HTTP client of an
   * activity).
   */
  public void closeOnExit(AutoCloseable resource) {
    lifecycle.closeOnExit(resource);
  }

  /**
   * Starts polling and blocks until SIGTERM or SIGINT (or {@link #requestStop()}), then shuts down
   * gracefully: polling stops at once (readiness turns false), in-flight workflow and activity
   * tasks get the grace period to finish, what is still running after it is interrupted.
   */
  public void runUntilStopped() throws InterruptedException {
    lifecycle.onStopNow(factory::shutdownNow);
    lifecycle.installSignalHandlers();
    if (!awaitNamespace()) {
      log.info("stop requested before the worker started polling");
      return;
    }
    factory.start();
    log.info(
        "{} polling task queue {}; ready at {}",
        settings.telemetry().service(),
        settings.temporal().taskQueue(),
        telemetry.managementUri().resolve("/readyz"));
    lifecycle.awaitStop();
    Duration grace = settings.shutdownGrace();
    log.info(
        "stop requested: no new tasks; in-flight tasks have {} s to finish", grace.toSeconds());
    factory.shutdown();
    factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn(
          "in-flight tasks did not finish within {} s; interrupting them (Temporal retries them elsewhere)",
          grace.toSeconds());
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
    log.info("worker stopped");
  }

  /**
   * Waits until the frontend answers and the worker's namespace exists, the way a pod starts beside
   * a server that is still coming up, or before the namespace Job (chart) or the dev stack has
   * registered the namespace: the worker factory would otherwise fail its start on the first {@code
   * UNAVAILABLE}. Meanwhile readiness is false (not polling). Refusals that waiting cannot cure (no
   * permission, bad credentials) end it at once.
   *
   * @return false when a stop was requested while waiting
   */
  private boolean awaitNamespace() throws InterruptedException {
    String namespace = settings.temporal().namespace();
    DescribeNamespaceRequest request =
        DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build();
    Duration backoff = Duration.ofSeconds(1);
    String lastReason = null;
    while (true) {
      String reason;
      try {
        connection
            .stubs()
            .blockingStub()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .describeNamespace(request);
        if (lastReason != null) {
          log.info(
              "namespace {} answers at {}; starting to poll",
              namespace,
              settings.temporal().address());
        }
        return true;
      } catch (StatusRuntimeException e) {
        reason =
            switch (e.getStatus().getCode()) {
              case UNAVAILABLE, DEADLINE_EXCEEDED, UNKNOWN, INTERNAL, RESOURCE_EXHAUSTED ->
                  "the frontend "
                      + settings.temporal().address()
                      + " is not answering yet ("
                      + e.getStatus().getCode()
                      + ")";
              case NOT_FOUND ->
                  "namespace "
                      + namespace
                      + " does not exist yet (it is registered by the chart's namespace Job"
                      + " or the dev stack)";
              default -> throw e;
            };
      }
      if (!reason.equals(lastReason)) {
        log.warn(
            "waiting before polling: {}; retrying until it does (readiness stays false)", reason);
        lastReason = reason;
      }
      if (lifecycle.awaitStop(backoff)) {
        return false;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_WAIT_BACKOFF) > 0
              ? MAX_WAIT_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /** Same as receiving SIGTERM (used by tests and by embedding code). */
  public void requestStop() {
    lifecycle.requestStop();
  }

  @Override
  public void close() {
    if (!factory.isTerminated()) {
      try {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        // The SDK tells the server its pollers stop; with the server unreachable that call fails.
        // The rest must
        // still close: a management endpoint left running keeps a dead process alive and never
        // restarted.
        log.warn("stopping the worker factory failed: {}", e.toString());
      }
    }
    lifecycle.close();
  }

  /** Everything a worker process reads from its environment. */
  public record WorkerSettings(
      TemporalSettings temporal, TelemetryConfig telemetry, Duration shutdownGrace) {

    /**
     * Reads TEMPORAL_*, MANAGEMENT_PORT, LOG_*, OTEL_* and SHUTDOWN_GRACE_SECONDS; problems are
     * recorded on {@code env} together with the caller's own reads, so one {@code env.validate()}
     * reports them all.
     */
    public static WorkerSettings fromEnvironment(
        Environment env, String service, String defaultNamespace, String defaultTaskQueue) {
      TemporalSettings temporal =
          TemporalSettings.fromEnvironment(env, defaultNamespace, defaultTaskQueue);
      Duration grace =
          env.seconds("SHUTDOWN_GRACE_SECONDS", Duration.ofSeconds(30), Duration.ofHours(1));
      return new WorkerSettings(temporal, TelemetryConfig.fromEnvironment(env, service), grace);
    }
  }
}
