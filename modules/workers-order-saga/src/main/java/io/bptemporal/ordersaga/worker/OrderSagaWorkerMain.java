package io.bptemporal.ordersaga.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.ordersaga.activities.OrderActivitiesImpl;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.payment.HttpPaymentProvider;
import io.bptemporal.ordersaga.payment.LedgerOnlyProvider;
import io.bptemporal.ordersaga.payment.PaymentProvider;
import io.bptemporal.ordersaga.payment.PaymentProviderSettings;
import io.bptemporal.ordersaga.workflow.OrderSagaWorkflowImpl;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.RoleGrants;
import io.bptemporal.runtime.worker.WorkerProcess;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order-saga worker process: polls {@code orders-tq} in namespace {@code orders} (unless
 * TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE say otherwise) and runs the saga workflow and its
 * activities. Configuration: docs/operations/configuration.md plus the PAYMENT_PROVIDER_* variables
 * (docs/order-saga.md). At start-up it migrates the orders database (Flyway) before it polls, so a
 * new version never runs against an old schema, and grants OUTBOX_RELAY_ROLES read access to
 * notification_outbox and UPDATE of its delivered_at (the event router's outbox relay); exit status
 * 2 for configuration problems, 1 when the database cannot be migrated, 0 after a graceful stop.
 */
public final class OrderSagaWorkerMain {
  public static final String SERVICE = "order-saga-worker";
  private static final Logger log = LoggerFactory.getLogger(OrderSagaWorkerMain.class);

  private OrderSagaWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Environment env = Environment.system();
    WorkerProcess.WorkerSettings settings =
        WorkerProcess.WorkerSettings.fromEnvironment(
            env, SERVICE, Namespaces.ORDERS.name(), TaskQueues.ORDERS);
    DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
    PaymentProviderSettings payments = PaymentProviderSettings.fromEnvironment(env);
    List<String> relayRoles =
        RoleGrants.fromEnvironment(env, OrdersSchema.OUTBOX_RELAY_ROLES, "outbox_relay");
    env.validateOrExit(SERVICE);

    boolean migrationFailed = false;
    try (WorkerProcess process = WorkerProcess.start(settings)) {
      HikariDataSource pool = process.database(database);
      try {
        MigrateResult migrated = OrdersSchema.migrate(pool);
        log.info(
            "orders database at schema version {} ({} migrations applied now)",
            migrated.targetSchemaVersion == null
                ? migrated.initialSchemaVersion
                : migrated.targetSchemaVersion,
            migrated.migrationsExecuted);
        OrdersSchema.grantOutboxRelay(pool, relayRoles);
        if (!relayRoles.isEmpty()) {
          log.info("notification_outbox: relay access granted to {}", relayRoles);
        }
      } catch (FlywayException | IllegalStateException e) {
        log.error("cannot migrate the orders database {}: {}", database, e.getMessage());
        migrationFailed = true;
      }
      if (!migrationFailed) {
        PaymentProvider provider =
            payments
                .http()
                .<PaymentProvider>map(
                    http -> {
                      HttpPaymentProvider httpProvider = new HttpPaymentProvider(http);
                      process.closeOnExit(httpProvider);
                      return httpProvider;
                    })
                .orElseGet(LedgerOnlyProvider::new);
        log.info("payments: {}", payments.mode());

        process.registerWorkflowImplementationTypes(OrderSagaWorkflowImpl.class);
        process.registerActivitiesImplementations(new OrderActivitiesImpl(pool, provider));
        process.runUntilStopped();
      }
    }
    if (migrationFailed) {
      // After close(): telemetry, pool and connection are shut down; the orchestrator restarts the
      // pod.
      System.exit(1);
    }
  }
}
