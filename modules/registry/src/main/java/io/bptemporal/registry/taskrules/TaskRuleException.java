package io.bptemporal.registry.taskrules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The task rules of a definition ({@code input.tasks}) cannot be read or evaluated; each problem
 * names the path (e.g. {@code $.input.tasks[1].for_each}), what was found and what is accepted. Not
 * retryable: the same definition and context give the same error. The scheduler reports {@link
 * #problems()} of a row's rules at plan time, so a rule that cannot be read never reaches a
 * Schedule.
 */
public final class TaskRuleException extends RuntimeException {
  public static final String FAILURE_TYPE = "InvalidTaskRules";

  /**
   * One thing wrong: where ({@code $.input.tasks[0].kind}) and what ({@code is missing; accepted:
   * …}).
   */
  public record Problem(String path, String detail) {
    @Override
    public String toString() {
      return path + " " + detail;
    }
  }

  private final List<Problem> problems;

  public TaskRuleException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public TaskRuleException(String path, String detail) {
    this(List.of(new Problem(path, detail)));
  }

  public List<Problem> problems() {
    return problems;
  }
}
