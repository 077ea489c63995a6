package io.bptemporal.registry.routes;

import java.util.Objects;

/**
 * One thing wrong with a stored route: which route, where in it (a JSON path into the route as a
 * document: {@code $.delivery}, {@code $.filters[2].path}) and what, including what is accepted.
 *
 * <p>Rendered as {@code route 'r1': $.filters[2].path: is "payload.x"; accepted: ...}.
 */
public record RouteProblem(String routeId, String path, String detail) {
  public RouteProblem {
    Objects.requireNonNull(routeId, "routeId");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return "route '" + routeId + "': " + path + ": " + detail;
  }
}
