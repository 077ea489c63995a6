package io.bptemporal.registry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code event_route} exactly as stored, with its activity row's target: nothing is
 * checked yet (the table stores broken routes so they can be reported precisely, see {@link
 * RouteParser}).
 *
 * @param filters the {@code filters} column; any JSON value (a route wants an array)
 * @param delivery the {@code delivery} column; any text (a route wants {@link Delivery})
 */
public record RouteRow(
    String routeId,
    String eventType,
    JsonNode filters,
    String delivery,
    boolean enabled,
    long version,
    Instant updatedAt,
    RouteTarget target) {
  public RouteRow {
    Objects.requireNonNull(routeId, "routeId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(filters, "filters");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(target, "target");
  }

  public String activityId() {
    return target.activityId();
  }
}
