package io.bptemporal.scheduler.registry;

/** The registry database could not be read or written; the message names the table and the cause. */
public final class RegistryException extends RuntimeException {
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
