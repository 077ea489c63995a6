package io.bptemporal.router.deliver;

/**
 * Temporal (or the dead-letter topic) did not accept a request for a reason that waiting cures:
 * unavailable, deadline exceeded, resource exhausted. The record is tried again, never skipped.
 */
public final class RetryableDeliveryException extends RuntimeException {
  public RetryableDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
