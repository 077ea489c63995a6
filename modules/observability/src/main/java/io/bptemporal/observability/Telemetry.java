package io.bptemporal.observability;

import com.uber.m3.tally.Scope;
import io.bptemporal.observability.endpoint.ManagementServer;
import io.bptemporal.observability.health.HealthRegistry;
import io.bptemporal.observability.logging.LogContextInterceptor;
import io.bptemporal.observability.logging.Logging;
import io.bptemporal.observability.metrics.ProcessMetrics;
import io.bptemporal.observability.tracing.Tracing;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one telemetry bootstrap of every bp-temporal process: logging, Prometheus metrics (JVM,
 * process, Temporal SDK, and the registry each process declares its own meters on), tracing and the
 * management endpoint (/metrics, /healthz, /readyz).
 *
 * <pre>{@code
 * try (Telemetry telemetry = Telemetry.start(TelemetryConfig.fromEnvironment(Environment.system(), "order-saga-worker")
 *     .withWorkerTags(namespace, taskQueue))) {
 *   WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
 *       .setTarget(address).setMetricsScope(telemetry.temporalMetricsScope()).build());
 *   WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
 *       .setNamespace(namespace).setInterceptors(telemetry.workflowClientInterceptors()).build());
 *   WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
 *       .setWorkerInterceptors(telemetry.workerInterceptors()).build());
 *   telemetry.health().register(ReadinessChecks.temporalReachable(stubs))
 *       .register(ReadinessChecks.workerPolling(factory, taskQueue));
 *   ...
 * }
 * }</pre>
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

  private final TelemetryConfig config;
  private final ProcessMetrics metrics;
  private final Tracing tracing;
  private final HealthRegistry health;
  private final ManagementServer server;
  private boolean closed;

  private Telemetry(
      TelemetryConfig config,
      ProcessMetrics metrics,
      Tracing tracing,
      HealthRegistry health,
      ManagementServer server) {
    this.config = config;
    this.metrics = metrics;
    this.tracing = tracing;
    this.health = health;
    this.server = server;
  }

  /**
   * Configures logging (unless a logback file on the classpath already did), starts the metrics
   * registry, the Temporal metrics scope and tracing, and serves the management endpoint.
   * Everything started is stopped again when a later step fails.
   */
  public static Telemetry start(TelemetryConfig config) {
    long started = System.nanoTime();
    Logging.configure(config);
    Tags common = Tags.of("service", config.service());
    if (config.namespace().isPresent()) {
      common = common.and("namespace", config.namespace().get());
    }
    if (config.taskQueue().isPresent()) {
      common = common.and("task_queue", config.taskQueue().get());
    }
    ProcessMetrics metrics = ProcessMetrics.start(common);
    Tracing tracing = null;
    HealthRegistry health = null;
    try {
      tracing = Tracing.start(config);
      health = new HealthRegistry();
      ManagementServer server =
          ManagementServer.start(config.managementPort(), metrics::scrape, health);
      Telemetry telemetry = new Telemetry(config, metrics, tracing, health, server);
      log.info(
          "telemetry for {} up in {} ms: metrics on :{}/metrics, tracing {}, logs {}",
          config.service(),
          Duration.ofNanos(System.nanoTime() - started).toMillis(),
          server.port(),
          tracing.enabled()
              ? "on (" + config.otelSettings().get("OTEL_TRACES_EXPORTER") + ")"
              : "off",
          config.logFormat().name().toLowerCase(Locale.ROOT));
      return telemetry;
    } catch (RuntimeException e) {
      if (health != null) {
        health.close();
      }
      if (tracing != null) {
        tracing.close();
      }
      metrics.close();
      throw e;
    }
  }

  public TelemetryConfig config() {
    return config;
  }

  /**
   * The process's Prometheus registry. A process declares its own catalogued meters on it (the
   * pipeline worker's {@code PipelineMetrics}, the scheduler's {@code PlatformReconcileMetrics})
   * with {@link io.bptemporal.observability.metrics.CounterFamily}, {@link
   * io.bptemporal.observability.metrics.DurationHistogram} and {@link
   * io.bptemporal.observability.metrics.LongGauge}, which hold the naming conventions.
   */
  public PrometheusMeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /**
   * For {@code WorkflowServiceStubsOptions.Builder.setMetricsScope}: SDK metrics land on /metrics.
   */
  public Scope temporalMetricsScope() {
    return metrics.temporalScope();
  }

  /**
   * For {@code WorkflowClientOptions.Builder.setInterceptors}: StartWorkflow/SignalWorkflow spans.
   */
  public WorkflowClientInterceptor[] workflowClientInterceptors() {
    return new WorkflowClientInterceptor[] {tracing.clientInterceptor()};
  }

  /**
   * For {@code WorkerFactoryOptions.Builder.setWorkerInterceptors}:
   * RunWorkflow/StartActivity/RunActivity spans, and the workflow/activity fields on log lines. The
   * SDK wraps in array order (last outermost); the log context comes first so it runs inside the
   * span and can read its trace id. A process adding interceptors of its own should append them
   * after these.
   */
  public WorkerInterceptor[] workerInterceptors() {
    return new WorkerInterceptor[] {new LogContextInterceptor(), tracing.workerInterceptor()};
  }

  /** Trace continuation from event envelopes, and the OpenTelemetry API for custom spans. */
  public Tracing tracing() {
    return tracing;
  }

  /** Where the process registers its readiness checks. */
  public HealthRegistry health() {
    return health;
  }

  /** The bound management port (MANAGEMENT_PORT, or the port picked when it was 0). */
  public int managementPort() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>/}, for tests and local tools. */
  public URI managementUri() {
    return URI.create("http://127.0.0.1:" + managementPort() + "/");
  }

  /**
   * Stops the endpoint, flushes the SDK scope and the span exporter, and releases the registry.
   * Call it after the worker factory has shut down, so the last task's metrics and spans still get
   * out.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    health.close();
    tracing.close();
    metrics.close();
  }
}
