package io.bptemporal.registry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A checked route ({@link RouteParser}): envelopes of {@code eventType} for which every condition
 * of {@code filters} holds trigger the activity of {@code target}, delivered as {@code delivery}.
 *
 * @param version the route row's revision (raised by every update), for logs
 */
public record EventRoute(
    String routeId,
    String eventType,
    List<Condition> filters,
    Delivery delivery,
    boolean enabled,
    long version,
    RouteTarget target) {

  public EventRoute {
    Objects.requireNonNull(routeId, "routeId");
    Objects.requireNonNull(eventType, "eventType");
    filters = List.copyOf(filters);
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(target, "target");
  }

  public String activityId() {
    return target.activityId();
  }

  /**
   * Whether events reach this route at all: the route and its activity are both enabled. A route of
   * a disabled activity is kept (and still checked) but routes nothing.
   */
  public boolean active() {
    return enabled && target.enabled();
  }

  /**
   * Whether this route takes the envelope (its JSON document, already valid by the envelope
   * contract): same type and every condition holds. Says nothing about {@link #active()}.
   */
  public boolean matches(JsonNode envelope) {
    if (!eventType.equals(envelope.path("type").asText(null))) {
      return false;
    }
    for (Condition condition : filters) {
      if (!condition.test(envelope)) {
        return false;
      }
    }
    return true;
  }
}
