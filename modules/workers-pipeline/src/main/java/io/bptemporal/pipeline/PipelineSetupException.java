package io.bptemporal.pipeline;

/**
 * A problem with a request, a definition or the environment that no retry can fix (a missing target
 * table, an unknown rule set, a source file that does not exist). Activities turn it into a
 * non-retryable Temporal failure of type {@value #FAILURE_TYPE}, so the workflow fails at once with
 * this message instead of retrying until its timeout.
 */
public final class PipelineSetupException extends RuntimeException {
  public static final String FAILURE_TYPE = "PipelineSetupError";

  public PipelineSetupException(String message) {
    super(message);
  }

  public PipelineSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
