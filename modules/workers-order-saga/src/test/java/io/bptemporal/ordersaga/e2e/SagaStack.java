package io.bptemporal.ordersaga.e2e;

import com.uber.m3.tally.Scope;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.ordersaga.activities.OrderActivitiesImpl;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.payment.PaymentProvider;
import io.bptemporal.ordersaga.workflow.OrderSagaWorkflowImpl;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.bptemporal.runtime.temporal.codec.PayloadKeys;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The saga on the real dev stack for end-to-end tests: an orders database of its own, a client of
 * namespace {@code orders} and a worker in the test JVM polling a task queue of its own (so that
 * tests and a developer's {@code make run} never take each other's tasks).
 */
public final class SagaStack implements AutoCloseable {
  private final HikariDataSource pool;
  private final TemporalConnection connection;
  private final WorkerFactory factory;
  private final String taskQueue;
  private final DatabaseSettings database;

  private SagaStack(
      HikariDataSource pool,
      TemporalConnection connection,
      WorkerFactory factory,
      String taskQueue,
      DatabaseSettings database) {
    this.pool = pool;
    this.connection = connection;
    this.factory = factory;
    this.taskQueue = taskQueue;
    this.database = database;
  }

  /**
   * Creates (or reuses) {@code databaseName}, migrates it and starts a worker on {@code taskQueue}.
   */
  public static SagaStack start(
      StackEndpoints stack,
      String databaseName,
      String taskQueue,
      PaymentProvider provider,
      Optional<Scope> metrics) {
    return start(stack, databaseName, taskQueue, provider, metrics, Optional.empty());
  }

  /** The same, with payload encryption by {@code payloadKeys} (client and worker). */
  public static SagaStack start(
      StackEndpoints stack,
      String databaseName,
      String taskQueue,
      PaymentProvider provider,
      Optional<Scope> metrics,
      Optional<PayloadKeys> payloadKeys) {
    String url = stack.postgres().ensureDatabase(databaseName, databaseName, "pw");
    DatabaseSettings database = new DatabaseSettings(url, databaseName, "pw", 10);
    HikariDataSource pool = Databases.pool(database, databaseName);
    OrdersSchema.migrate(pool);
    TemporalConnection connection =
        TemporalConnection.open(
            new TemporalSettings(
                    stack.temporalAddress(),
                    Namespaces.ORDERS.name(),
                    taskQueue,
                    Optional.empty(),
                    Optional.empty(),
                    payloadKeys)
                // DEVSTACK_TLS / DEVSTACK_AUTH: the test's own certificate and token.
                .withSecurity(stack.temporalClientEnv("order-saga-it")),
            metrics);
    WorkerFactory factory = WorkerFactory.newInstance(connection.client(List.of()));
    var worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(), OrderSagaWorkflowImpl.class);
    worker.registerActivitiesImplementations(new OrderActivitiesImpl(pool, provider));
    factory.start();
    return new SagaStack(pool, connection, factory, taskQueue, database);
  }

  public TemporalConnection connection() {
    return connection;
  }

  public WorkflowClient client() {
    return factory.getWorkflowClient();
  }

  public String taskQueue() {
    return taskQueue;
  }

  public HikariDataSource pool() {
    return pool;
  }

  public DatabaseSettings database() {
    return database;
  }

  public DSLContext sql() {
    return OrdersSchema.dsl(pool);
  }

  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    connection.close();
    pool.close();
  }
}
