package io.bptemporal.localcluster;

/**
 * The local cluster could not start, lost a component or could not be torn down; the message says
 * what to do.
 */
public final class LocalClusterException extends RuntimeException {
  public LocalClusterException(String message) {
    super(message);
  }

  public LocalClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
