package io.bptemporal.activity;

/**
 * A problem with the activity worker's environment that no retry can fix (a registry role without
 * the grants of REGISTRY_READER_ROLES). Activities turn it into a non-retryable Temporal failure of
 * type {@value #FAILURE_TYPE}, so the run fails at once with this message instead of retrying until
 * its timeout.
 */
public final class ActivitySetupException extends RuntimeException {
  public static final String FAILURE_TYPE = "ActivitySetupError";

  public ActivitySetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
