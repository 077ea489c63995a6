package io.bptemporal.registry.routes;

import java.util.List;
import java.util.stream.Collectors;

/** A stored route cannot be used; {@link #problems()} says every thing wrong with it. */
public final class InvalidRouteException extends RuntimeException {
  private final List<RouteProblem> problems;

  public InvalidRouteException(List<RouteProblem> problems) {
    super(problems.stream().map(RouteProblem::toString).collect(Collectors.joining("; ")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid route has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<RouteProblem> problems() {
    return problems;
  }
}
