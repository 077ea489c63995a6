package io.bptemporal.scheduler.it;

import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.devstack.NamespaceRegistrar;
import io.bptemporal.devstack.StackAuth;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.NamespaceProbe;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.bptemporal.scheduler.temporal.TemporalSchedules;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The dev stack's Temporal server for one test class: stubs, a namespace of its own, reconcilers on
 * it.
 */
final class TemporalFixture implements AutoCloseable {
  final TemporalConnection connection;
  final String namespace;

  TemporalFixture(StackEndpoints stack, String namespace) {
    this(stack, new NamespaceSpec(namespace, Duration.ofDays(1)));
  }

  TemporalFixture(StackEndpoints stack, NamespaceSpec spec) {
    String namespace = spec.name();
    this.connection =
        TemporalConnection.open(
            new TemporalSettings(
                    stack.temporalAddress(),
                    namespace,
                    "unused",
                    Optional.empty(),
                    Optional.empty())
                // DEVSTACK_TLS / DEVSTACK_AUTH: registering the test's namespace is the operator's
                // (cluster admin's) call.
                .withSecurity(
                    stack.temporalClientEnv(
                        "scheduler-it-operator", List.of(StackAuth.SYSTEM_ADMIN))),
            Optional.empty());
    this.namespace = namespace;
    new NamespaceRegistrar(connection.stubs()).ensure(List.of(spec), Duration.ofSeconds(30));
  }

  WorkflowServiceStubs stubs() {
    return connection.stubs();
  }

  /**
   * An uncounted schedule client of the test's namespace, for looking at what the scheduler did.
   */
  ScheduleClient schedules() {
    return schedules(namespace);
  }

  ScheduleClient schedules(String ns) {
    return ScheduleClient.newInstance(
        stubs(), ScheduleClientOptions.newBuilder().setNamespace(ns).build());
  }

  /**
   * The server's {@code ListScheduleMatchingTimes} for a schedule of the test's namespace: the
   * start times its spec selects in {@code (from, to]}, as the server computes them.
   */
  List<java.time.Instant> matchingTimes(
      String scheduleId, java.time.Instant from, java.time.Instant to) {
    return stubs()
        .blockingStub()
        .listScheduleMatchingTimes(
            io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest.newBuilder()
                .setNamespace(namespace)
                .setScheduleId(scheduleId)
                .setStartTime(timestamp(from))
                .setEndTime(timestamp(to))
                .build())
        .getStartTimeList()
        .stream()
        .map(t -> java.time.Instant.ofEpochSecond(t.getSeconds(), t.getNanos()))
        .toList();
  }

  private static com.google.protobuf.Timestamp timestamp(java.time.Instant instant) {
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /**
   * A reconciler managing only the test's namespace; {@code wrap} may decorate each schedule
   * client.
   */
  ScheduleReconciler reconciler(
      RegistryDatabase db,
      ScheduleCallCounter counter,
      Set<String> workflowTypes,
      UnaryOperator<ScheduleClient> wrap) {
    return reconciler(db, counter, Set.of(namespace), workflowTypes, wrap);
  }

  ScheduleReconciler reconciler(
      RegistryDatabase db,
      ScheduleCallCounter counter,
      Set<String> namespaces,
      Set<String> workflowTypes,
      UnaryOperator<ScheduleClient> wrap) {
    return reconciler(db, counter, namespaces, workflowTypes, wrap, List.of());
  }

  ScheduleReconciler reconciler(
      RegistryDatabase db,
      ScheduleCallCounter counter,
      Set<String> namespaces,
      Set<String> workflowTypes,
      UnaryOperator<ScheduleClient> wrap,
      List<ScheduleReconciler.PassExtension> extensions) {
    TemporalSchedules schedules =
        new TemporalSchedules(
            ns ->
                wrap.apply(
                    new io.bptemporal.scheduler.temporal.CountingScheduleClient(
                        schedules(ns), counter)),
            io.bptemporal.contracts.json.ContractDataConverter.instance());
    return new ScheduleReconciler(
        db.registry,
        schedules,
        new NamespaceProbe(stubs()),
        new RowChecks(namespaces, Optional.of(workflowTypes)),
        counter,
        Clock.systemUTC(),
        extensions);
  }

  /**
   * Whether a schedule with this ID exists in the test's namespace. Only NOT_FOUND means no; a
   * describe that times out on a loaded machine is asked again (a bound, not a delay), never taken
   * for "gone".
   */
  boolean scheduleExists(String id) {
    return Rows.awaitVisibility("describe of schedule " + id)
        .until(
            () -> {
              try {
                schedules().getHandle(id).describe();
                return Optional.of(true);
              } catch (RuntimeException e) {
                if (isNotFound(e)) {
                  return Optional.of(false);
                }
                throw e;
              }
            },
            Optional::isPresent)
        .orElseThrow();
  }

  private static boolean isNotFound(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    connection.close();
  }
}
