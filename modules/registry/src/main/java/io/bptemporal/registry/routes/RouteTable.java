package io.bptemporal.registry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes as the router uses them: every stored row checked once, the active routes indexed by
 * event type, the broken ones kept with their problems (reported, never used). Immutable and
 * thread-safe: a reload builds a new table.
 */
public final class RouteTable {
  public static final RouteTable EMPTY = new RouteTable(List.of(), List.of());

  private final List<EventRoute> routes;
  private final List<RouteProblem> broken;
  private final Map<String, List<EventRoute>> activeByType = new HashMap<>();

  /**
   * @param routes every valid route, active or not
   * @param broken the problems of every route that could not be read
   */
  public RouteTable(List<EventRoute> routes, List<RouteProblem> broken) {
    this.routes = routes.stream().sorted(Comparator.comparing(EventRoute::routeId)).toList();
    this.broken = List.copyOf(broken);
    for (EventRoute route : this.routes) {
      if (route.active()) {
        activeByType.computeIfAbsent(route.eventType(), t -> new ArrayList<>()).add(route);
      }
    }
    activeByType.replaceAll((type, list) -> List.copyOf(list));
  }

  /** Checks every row; a broken row's problems go to {@link #broken()}, the others are used. */
  public static RouteTable of(List<RouteRow> rows) {
    List<EventRoute> routes = new ArrayList<>();
    List<RouteProblem> broken = new ArrayList<>();
    for (RouteRow row : rows) {
      try {
        routes.add(RouteParser.parse(row));
      } catch (InvalidRouteException e) {
        broken.addAll(e.problems());
      }
    }
    return new RouteTable(routes, broken);
  }

  /**
   * The active routes that take this envelope (its JSON document, valid by the envelope contract),
   * in route id order.
   */
  public List<EventRoute> match(JsonNode envelope) {
    List<EventRoute> candidates =
        activeByType.getOrDefault(envelope.path("type").asText(""), List.of());
    List<EventRoute> matched = new ArrayList<>(candidates.size());
    for (EventRoute route : candidates) {
      if (route.matches(envelope)) {
        matched.add(route);
      }
    }
    return matched;
  }

  /** Every valid route, active or not, in route id order. */
  public List<EventRoute> routes() {
    return routes;
  }

  /** The problems of every route that could not be read, in row order. */
  public List<RouteProblem> broken() {
    return broken;
  }

  /** Routes that would be used: valid, enabled, of an enabled activity. */
  public List<EventRoute> active() {
    return routes.stream().filter(EventRoute::active).toList();
  }

  /** How many distinct routes are broken. */
  public long brokenRoutes() {
    return broken.stream().map(RouteProblem::routeId).distinct().count();
  }

  @Override
  public String toString() {
    return "RouteTable["
        + active().size()
        + " active, "
        + (routes.size() - active().size())
        + " inactive, "
        + brokenRoutes()
        + " broken]";
  }
}
