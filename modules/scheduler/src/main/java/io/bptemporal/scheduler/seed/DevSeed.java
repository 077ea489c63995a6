package io.bptemporal.scheduler.seed;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.registry.routes.RouteParser;
import io.bptemporal.registry.routes.RouteRow;
import io.bptemporal.registry.routes.RouteTarget;
import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.scheduler.plan.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry rows of the dev stack ({@code SCHEDULER_SEED=dev}, {@code scheduler seed dev}): a
 * RunActivity every minute, a nightly data pipeline, an hourly job with COMPRESS, and two
 * activities triggered by events with their event routes (one START, one SIGNAL_WITH_START) that
 * {@code make run}'s event demo publishes to. Each is a valid ActivityDefinition aimed at the
 * platform's own workflows (namespace pipelines; task queue activities-tq for RunActivity,
 * pipelines-tq for the data pipeline), each route a valid route of one of them. Seeding never
 * overwrites a row: an operator's edit of a seeded row survives restarts.
 */
public final class DevSeed {
  private static final Logger log = LoggerFactory.getLogger(DevSeed.class);
  static final String RESOURCE = "/io/bptemporal/scheduler/seed/dev-seed.json";
  static final String ROUTES_RESOURCE = "/io/bptemporal/scheduler/seed/dev-seed-routes.json";

  /** One seeded {@code event_route} row. */
  public record SeedRoute(
      String routeId, String activityId, String eventType, JsonNode filters, String delivery) {}

  private DevSeed() {}

  /** The seed definitions, each checked against the ActivityDefinition contract. */
  public static List<ActivityDefinition> definitions() {
    List<ActivityDefinition> definitions = new ArrayList<>();
    for (JsonNode seed : read(RESOURCE)) {
      ValidationResult<ActivityDefinition> result =
          ContractValidator.validateDefinition(seed.toString());
      definitions.add(result.orElseThrow());
    }
    return definitions;
  }

  /**
   * The seed routes, each checked by the route parser against its seed activity (an unknown
   * activity or a broken route is a bug of the seed file: it fails here, not in the router).
   */
  public static List<SeedRoute> routes() {
    Map<String, ActivityDefinition> activities = new HashMap<>();
    definitions().forEach(d -> activities.put(d.activityId(), d));
    List<SeedRoute> routes = new ArrayList<>();
    for (JsonNode node : read(ROUTES_RESOURCE)) {
      SeedRoute route =
          new SeedRoute(
              node.path("route_id").asText(),
              node.path("activity_id").asText(),
              node.path("event_type").asText(),
              node.path("filters"),
              node.path("delivery").asText());
      ActivityDefinition activity = activities.get(route.activityId());
      if (activity == null) {
        throw new IllegalStateException(
            "seed route '" + route.routeId() + "' names no seed activity: " + route.activityId());
      }
      // Throws InvalidRouteException with the route id and JSON path of every problem.
      RouteParser.parse(
          new RouteRow(
              route.routeId(),
              route.eventType(),
              route.filters(),
              route.delivery(),
              true,
              1,
              Instant.EPOCH,
              new RouteTarget(
                  activity.activityId(),
                  activity.namespace(),
                  activity.workflowType(),
                  activity.taskQueue(),
                  activity.enabled())));
      routes.add(route);
    }
    return routes;
  }

  /**
   * Inserts the rows that are missing (definitions first, then routes); returns the activity_ids
   * and {@code route:<route_id>}s inserted.
   */
  public static List<String> insert(ActivityRegistry registry) {
    List<String> inserted = new ArrayList<>();
    List<ActivityDefinition> definitions = definitions();
    for (ActivityDefinition definition : definitions) {
      if (registry.putIfAbsent(definition)) {
        inserted.add(definition.activityId());
      }
    }
    List<SeedRoute> routes = routes();
    for (SeedRoute route : routes) {
      if (registry.putRouteIfAbsent(
          route.routeId(),
          route.activityId(),
          route.eventType(),
          route.filters(),
          route.delivery())) {
        inserted.add("route:" + route.routeId());
      }
    }
    log.info(
        "dev seed: inserted {} of {} rows {}",
        inserted.size(),
        definitions.size() + routes.size(),
        inserted);
    return inserted;
  }

  private static JsonNode read(String resource) {
    try (InputStream in = DevSeed.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("seed file " + resource + " is missing from the classpath");
      }
      return CanonicalJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read seed file " + resource + ": " + e.getMessage(), e);
    }
  }
}
