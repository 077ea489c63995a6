package io.bptemporal.observability;

import ch.qos.logback.classic.LoggerContext;
import io.bptemporal.observability.logging.Logging;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * One cold worker start in a fresh JVM, run by {@link StartupCostBenchmark}: {@code plain} starts a
 * worker the way the SDK samples do; {@code telemetry} first runs the telemetry bootstrap and wires
 * it in. Prints one {@code STARTUP} line with the phases in milliseconds.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    String mode = args[0];
    String address = args[1];
    String taskQueue = "startup-probe-" + ProcessHandle.current().pid();
    // Logback initialises on first use in both modes; only what telemetry adds on top is its cost.
    LoggerFactory.getLogger(StartupProbe.class);
    long tLogging = System.nanoTime();
    Telemetry telemetry = null;
    if (mode.equals("telemetry")) {
      TelemetryConfig config =
          TelemetryConfig.fromEnvironment(
                  Map.of("MANAGEMENT_PORT", "0", "LOG_FORMAT", "json", "LOG_LEVEL", "WARN")::get,
                  "startup-probe")
              .withWorkerTags("default", taskQueue);
      telemetry = Telemetry.start(config);
      // The test classpath's logback-test.xml makes Telemetry keep it; a container has none, so
      // apply the
      // module's configuration here to count what production pays.
      Logging.apply(config, (LoggerContext) LoggerFactory.getILoggerFactory());
    }
    long tTelemetry = System.nanoTime();
    WorkflowServiceStubsOptions.Builder stubOptions =
        WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    WorkflowClientOptions.Builder clientOptions =
        WorkflowClientOptions.newBuilder().setNamespace("default");
    WorkerFactoryOptions.Builder factoryOptions = WorkerFactoryOptions.newBuilder();
    if (telemetry != null) {
      stubOptions.setMetricsScope(telemetry.temporalMetricsScope());
      clientOptions.setInterceptors(telemetry.workflowClientInterceptors());
      factoryOptions.setWorkerInterceptors(telemetry.workerInterceptors());
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(stubOptions.build());
    WorkerFactory factory =
        WorkerFactory.newInstance(
            WorkflowClient.newInstance(stubs, clientOptions.build()), factoryOptions.build());
    var worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(ObservedWorkflow.Impl.class);
    worker.registerActivitiesImplementations(new ObservedWorkflow.ProbesImpl());
    factory.start();
    long tWorker = System.nanoTime();
    long jvmUptime = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.printf(
        "STARTUP mode=%s logging_ms=%.1f telemetry_ms=%.1f worker_ms=%.1f main_ms=%.1f jvm_uptime_ms=%d%n",
        mode,
        ms(tLogging - t0),
        ms(tTelemetry - tLogging),
        ms(tWorker - tTelemetry),
        ms(tWorker - t0),
        jvmUptime);
    System.out.flush();
    factory.shutdownNow();
    factory.awaitTermination(5, TimeUnit.SECONDS);
    stubs.shutdownNow();
    if (telemetry != null) {
      telemetry.close();
    }
    System.exit(0);
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
