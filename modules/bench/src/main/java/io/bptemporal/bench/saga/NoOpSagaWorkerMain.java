package io.bptemporal.bench.saga;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.ordersaga.workflow.OrderSagaWorkflowImpl;
import io.bptemporal.runtime.worker.WorkerProcess;

/**
 * The order-saga worker of {@code OrderSagaWorkerMain} with its activities replaced by {@link
 * NoOpOrderActivities}: the same workflow code, the same {@link WorkerProcess} (telemetry, worker
 * options, interceptors), no database. Next to the real worker it splits what a saga costs in the
 * SDK and the JVM from what our PostgreSQL effects cost. Same environment as the real worker, less
 * the DB_* and PAYMENT_PROVIDER_* variables.
 */
public final class NoOpSagaWorkerMain {
  public static final String SERVICE = "order-saga-worker-noop";

  private NoOpSagaWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    WorkerProcess.WorkerSettings settings =
        WorkerProcess.WorkerSettings.fromEnvironment(
            env, SERVICE, Namespaces.ORDERS.name(), TaskQueues.ORDERS);
    env.validateOrExit(SERVICE);
    try (WorkerProcess process = WorkerProcess.start(settings)) {
      process.registerWorkflowImplementationTypes(OrderSagaWorkflowImpl.class);
      process.registerActivitiesImplementations(new NoOpOrderActivities());
      process.runUntilStopped();
    }
  }
}
