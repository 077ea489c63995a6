package io.bptemporal.devstack;

/** The dev stack could not start or lost a component; the message says what and what to do. */
public final class DevStackException extends RuntimeException {
  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
