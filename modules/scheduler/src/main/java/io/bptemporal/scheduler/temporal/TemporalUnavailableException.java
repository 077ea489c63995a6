package io.bptemporal.scheduler.temporal;

import io.grpc.StatusRuntimeException;

/**
 * The Temporal server did not answer the question a pass starts with (which managed namespaces
 * exist), so the pass stops before it changes anything. Its message says where Temporal was
 * expected and what the call got, and is all that {@code scheduler run}'s log line and {@code
 * scheduler apply}'s error show ({@link #toString()}): a bare {@code StatusRuntimeException:
 * UNAVAILABLE: io exception} named neither Temporal nor its address.
 */
public final class TemporalUnavailableException extends RuntimeException {
  public TemporalUnavailableException(String target, String namespace, StatusRuntimeException e) {
    super(
        "Temporal at "
            + target
            + " did not answer: DescribeNamespace "
            + namespace
            + " failed with "
            + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null
                ? ""
                : " (" + e.getStatus().getDescription() + ")")
            + "; no schedule and no status was changed",
        e);
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
