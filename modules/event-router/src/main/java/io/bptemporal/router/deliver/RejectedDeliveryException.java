package io.bptemporal.router.deliver;

import io.bptemporal.router.decode.DeadLetterReason;
import java.util.Objects;

/**
 * A request that will never be accepted as it is (Temporal said invalid argument, the route needs a
 * subject the envelope lacks): the record is dead-lettered with this reason.
 */
public final class RejectedDeliveryException extends RuntimeException {
  private final DeadLetterReason kind;

  public RejectedDeliveryException(DeadLetterReason kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public DeadLetterReason kind() {
    return kind;
  }
}
