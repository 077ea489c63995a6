package io.bptemporal.scheduler.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which namespaces exist on the Temporal server (DescribeNamespace), so a row naming another is
 * refused.
 */
public final class NamespaceProbe {
  private final WorkflowServiceStubs stubs;

  public NamespaceProbe(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  /**
   * The names among {@code namespaces} the server knows; a server error is thrown ({@link
   * TemporalUnavailableException}), not taken for "absent".
   */
  public Set<String> existing(Collection<String> namespaces) {
    Set<String> found = new LinkedHashSet<>();
    for (String namespace : namespaces) {
      try {
        stubs
            .blockingStub()
            .describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
        found.add(namespace);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw new TemporalUnavailableException(stubs.getOptions().getTarget(), namespace, e);
        }
      }
    }
    return found;
  }
}
