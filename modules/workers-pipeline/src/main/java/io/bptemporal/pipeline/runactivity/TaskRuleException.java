package io.bptemporal.pipeline.runactivity;

/**
 * The task rules of a definition ({@code input.tasks}) cannot be read or evaluated; the message names the path
 * (e.g. {@code $.input.tasks[1].for_each}), what was found and what is accepted. Not retryable: the same
 * definition and context give the same error.
 */
public final class TaskRuleException extends RuntimeException {
  public static final String FAILURE_TYPE = "InvalidTaskRules";

  public TaskRuleException(String message) {
    super(message);
  }
}
