package io.bptemporal.router.deliver;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.Set;

/** Which of Temporal's refusals are worth waiting for. */
final class TemporalErrors {
  /**
   * Waiting (for the server, for capacity, for an operator fixing credentials) may cure these; a
   * record is never dead-lettered because the platform itself was down or misconfigured.
   */
  static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNKNOWN,
          Status.Code.CANCELLED,
          Status.Code.UNAUTHENTICATED,
          Status.Code.PERMISSION_DENIED);

  private TemporalErrors() {}

  /** The gRPC status somewhere in the cause chain. */
  static Optional<Status> status(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException e) {
        return Optional.of(e.getStatus());
      }
    }
    return Optional.empty();
  }

  /** Retryable unless the server answered with a status that waiting does not change. */
  static boolean retryable(Throwable error) {
    return status(error).map(s -> RETRYABLE.contains(s.getCode())).orElse(true);
  }

  static String describe(Throwable error) {
    return status(error)
        .map(s -> s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription()))
        .orElse(error.toString());
  }
}
