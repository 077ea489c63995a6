package io.bptemporal.devstack;

import io.bptemporal.contracts.naming.NamespaceSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the platform namespaces exist with their retention, idempotently: a namespace that exists
 * is left alone unless its retention differs, which is then updated. The server never creates
 * namespaces by itself.
 */
public final class NamespaceRegistrar {
  private static final Logger log = LoggerFactory.getLogger(NamespaceRegistrar.class);

  private final WorkflowServiceStubs stubs;

  public NamespaceRegistrar(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  /**
   * Registers or corrects each namespace, then waits until the server's services all see the new
   * ones.
   */
  public void ensure(List<NamespaceSpec> namespaces, Duration timeout) {
    List<NamespaceSpec> created = new ArrayList<>();
    for (NamespaceSpec ns : namespaces) {
      if (register(ns)) {
        created.add(ns);
      } else {
        correctRetention(ns);
      }
    }
    created.forEach(ns -> awaitUsable(ns.name(), timeout));
  }

  private boolean register(NamespaceSpec ns) {
    try {
      stubs
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace(ns.name())
                  .setDescription(
                      "bp-temporal platform namespace (io.bptemporal.contracts.naming.Namespaces)")
                  .setWorkflowExecutionRetentionPeriod(protoDuration(ns.retention()))
                  .build());
      log.info("registered namespace {} (retention {})", ns.name(), ns.retention());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        return false;
      }
      throw new DevStackException(
          "cannot register namespace " + ns.name() + ": " + e.getStatus(), e);
    }
  }

  private void correctRetention(NamespaceSpec ns) {
    var current =
        stubs
            .blockingStub()
            .describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace(ns.name()).build())
            .getConfig()
            .getWorkflowExecutionRetentionTtl();
    if (current.getSeconds() == ns.retention().toSeconds()) {
      return;
    }
    stubs
        .blockingStub()
        .updateNamespace(
            UpdateNamespaceRequest.newBuilder()
                .setNamespace(ns.name())
                .setConfig(
                    NamespaceConfig.newBuilder()
                        .setWorkflowExecutionRetentionTtl(protoDuration(ns.retention())))
                .build());
    log.info("namespace {}: retention {}s -> {}", ns.name(), current.getSeconds(), ns.retention());
  }

  /**
   * A new namespace reaches each service's namespace cache on its next refresh (2 s by default);
   * until then starts and polls fail. Frontend (visibility) and matching (task queue) must both
   * know it.
   */
  private void awaitUsable(String namespace, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    StatusRuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        stubs
            .blockingStub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setPageSize(1)
                    .build());
        stubs
            .blockingStub()
            .describeTaskQueue(
                DescribeTaskQueueRequest.newBuilder()
                    .setNamespace(namespace)
                    .setTaskQueue(TaskQueue.newBuilder().setName("devstack-namespace-probe"))
                    .build());
        return;
      } catch (StatusRuntimeException e) {
        last = e;
        ManagedProcess.sleep(Duration.ofMillis(250));
      }
    }
    throw new DevStackException(
        "namespace "
            + namespace
            + " was registered but is not usable after "
            + timeout
            + (last == null ? "" : ": " + last.getStatus()));
  }

  private static com.google.protobuf.Duration protoDuration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.toSeconds()).build();
  }
}
