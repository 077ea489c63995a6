package io.bptemporal.ordersaga.e2e;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.ordersaga.payment.PaymentProviderStub;
import io.bptemporal.ordersaga.worker.OrderSagaWorkerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The saga worker as the crash and fault tests run it: its own JVM ({@link WorkerProcess}, as
 * {@code make run} and a Deployment start it), so that a SIGKILL loses exactly what a dead pod
 * loses.
 */
final class SagaWorkers {
  private SagaWorkers() {}

  /** The worker's environment contract for a test's task queue, database and payment provider. */
  static Map<String, String> env(
      StackEndpoints stack,
      String taskQueue,
      String dbUrl,
      String dbUser,
      String dbPassword,
      PaymentProviderStub provider) {
    Map<String, String> env = new java.util.HashMap<>(stack.temporalClientEnv("order-saga-worker"));
    env.putAll(
        Map.ofEntries(
            Map.entry("TEMPORAL_ADDRESS", stack.temporalAddress()),
            Map.entry("TEMPORAL_NAMESPACE", Namespaces.ORDERS.name()),
            Map.entry("TEMPORAL_TASK_QUEUE", taskQueue),
            Map.entry("DB_URL", dbUrl),
            Map.entry("DB_USER", dbUser),
            Map.entry("DB_PASSWORD", dbPassword),
            Map.entry("DB_POOL_SIZE", "8"),
            Map.entry("PAYMENT_PROVIDER_URL", provider.baseUrl().toString()),
            Map.entry("PAYMENT_PROVIDER_TIMEOUT_MS", "3000"),
            Map.entry("LOG_FORMAT", "text"),
            Map.entry("SHUTDOWN_GRACE_SECONDS", "5")));
    return Map.copyOf(env);
  }

  /** Starts a worker process and waits until it is ready (polling its task queue). */
  static WorkerProcess start(Map<String, String> env, Path log, Duration readyWithin) {
    WorkerProcess worker =
        WorkerProcess.start(
            "order-saga-worker",
            WorkerProcess.moduleCommand(
                Path.of("").toAbsolutePath(),
                OrderSagaWorkerMain.class.getName(),
                List.of("-Xmx256m")),
            env,
            log);
    worker.awaitReady(readyWithin);
    return worker;
  }

  /**
   * Waits at most {@code max} for the worst moment to kill a worker: a charge at the provider whose
   * answer the worker will never hear. The charges in flight then (0 if none came: the kill lands
   * anyway).
   */
  static int awaitChargeInFlight(PaymentProviderStub provider, Duration max) {
    int atProvider = provider.chargesInFlight();
    if (atProvider > 0) {
      return atProvider;
    }
    try {
      return Awaitility.await("a charge at the provider")
          .atMost(max)
          .pollInterval(Duration.ofMillis(5))
          .until(provider::chargesInFlight, inFlight -> inFlight > 0);
    } catch (ConditionTimeoutException none) {
      return provider.chargesInFlight();
    }
  }
}
