package io.bptemporal.registry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.bptemporal.contracts.naming.IdentifierFormat;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.validation.Violations;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a stored route into an {@link EventRoute}, or refuses it with every problem found, each
 * naming the route, the JSON path of the problem in the route ({@code $.filters[2].path}), what was
 * found and what is accepted. The route as a document:
 *
 * <pre>{@code
 * {"route_id": "de-orders", "activity_id": "invoice-sync", "event_type": "order.placed",
 *  "filters": [{"path": "$.payload.country", "equals": "DE"},
 *              {"path": "$.subject", "prefix": "order/"}],
 *  "delivery": "START", "enabled": true}
 * }</pre>
 *
 * The route's activity row must run {@code RunActivityWorkflow}: the row decides namespace and task
 * queue, events only decide when it runs.
 */
public final class RouteParser {
  /** Route ids: like activity ids, they appear in logs, metrics-free labels and plan output. */
  public static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

  public static final String ROUTE_ID_ACCEPTED =
      "1-100 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or"
          + " digit, e.g. de-orders";

  /** Keeps matching cheap: every condition of every route of a type runs for every event. */
  public static final int MAX_CONDITIONS = 32;

  public static final int MAX_IN_VALUES = 1000;

  static final String CONDITION_ACCEPTED =
      "an object {\"path\": \"$.…\", and exactly one of \"equals\": scalar, \"in\": [scalars],"
          + " \"prefix\": \"text\", \"exists\": true|false}";

  private static final List<String> OPERATORS = List.of("equals", "in", "prefix", "exists");
  private static final Set<String> CONDITION_KEYS =
      Set.of("path", "equals", "in", "prefix", "exists");
  private static final String SCALAR = "a JSON string, number, boolean or null";

  private RouteParser() {}

  /**
   * The checked route.
   *
   * @throws InvalidRouteException with every problem of the row
   */
  public static EventRoute parse(RouteRow row) {
    String id = row.routeId();
    List<RouteProblem> problems = new ArrayList<>();
    if (!ROUTE_ID.matcher(id).matches()) {
      problems.add(
          new RouteProblem(
              id, "$.route_id", "is " + quote(id) + "; accepted: " + ROUTE_ID_ACCEPTED));
    }
    checkTarget(id, row.target(), problems);
    if (!IdentifierFormat.EVENT_TYPE.matches(row.eventType())) {
      problems.add(
          new RouteProblem(
              id,
              "$.event_type",
              "is "
                  + quote(row.eventType())
                  + "; accepted: an envelope type, "
                  + IdentifierFormat.EVENT_TYPE.accepted()));
    }
    Optional<Delivery> delivery = Delivery.parse(row.delivery());
    if (delivery.isEmpty()) {
      problems.add(
          new RouteProblem(
              id,
              "$.delivery",
              "is " + quote(row.delivery()) + "; accepted: " + Delivery.ACCEPTED));
    }
    List<Condition> conditions = conditions(id, row.filters(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidRouteException(problems);
    }
    return new EventRoute(
        id,
        row.eventType(),
        conditions,
        delivery.orElseThrow(),
        row.enabled(),
        row.version(),
        row.target());
  }

  private static void checkTarget(String id, RouteTarget target, List<RouteProblem> problems) {
    String activity = target.activityId();
    if (!IdentifierFormat.ACTIVITY_ID.matches(activity)) {
      problems.add(
          new RouteProblem(
              id,
              "$.activity_id",
              "is "
                  + quote(activity)
                  + ", which cannot name a run; accepted: "
                  + IdentifierFormat.ACTIVITY_ID.accepted()));
      return;
    }
    if (!RunActivityWorkflow.WORKFLOW_TYPE.equals(target.workflowType())) {
      problems.add(
          new RouteProblem(
              id,
              "$.activity_id",
              "names activity '"
                  + activity
                  + "', whose workflow_type is "
                  + quote(target.workflowType())
                  + "; accepted: an activity whose workflow_type is "
                  + RunActivityWorkflow.WORKFLOW_TYPE
                  + " (events start RunActivity runs of it)"));
    }
    if (!IdentifierFormat.NAMESPACE.matches(target.namespace())) {
      problems.add(
          new RouteProblem(
              id,
              "$.activity_id",
              "names activity '"
                  + activity
                  + "', whose namespace "
                  + quote(target.namespace())
                  + " is not valid; accepted: an activity with a namespace of "
                  + IdentifierFormat.NAMESPACE.accepted()));
    }
    if (!IdentifierFormat.TASK_QUEUE.matches(target.taskQueue())) {
      problems.add(
          new RouteProblem(
              id,
              "$.activity_id",
              "names activity '"
                  + activity
                  + "', whose task_queue "
                  + quote(target.taskQueue())
                  + " is not valid; accepted: an activity with a task queue of "
                  + IdentifierFormat.TASK_QUEUE.accepted()));
    }
  }

  private static List<Condition> conditions(
      String id, JsonNode filters, List<RouteProblem> problems) {
    if (!filters.isArray()) {
      problems.add(
          new RouteProblem(
              id,
              "$.filters",
              "is "
                  + render(filters)
                  + "; accepted: a JSON array of conditions (all must hold), [] for none, each "
                  + CONDITION_ACCEPTED));
      return List.of();
    }
    if (filters.size() > MAX_CONDITIONS) {
      problems.add(
          new RouteProblem(
              id,
              "$.filters",
              "has "
                  + filters.size()
                  + " conditions; accepted: at most "
                  + MAX_CONDITIONS
                  + " (split the route, or match a payload field with \"in\")"));
      return List.of();
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      condition(id, "$.filters[" + i + "]", filters.get(i), problems).ifPresent(conditions::add);
    }
    return conditions;
  }

  private static Optional<Condition> condition(
      String id, String at, JsonNode node, List<RouteProblem> problems) {
    if (!node.isObject()) {
      problems.add(
          new RouteProblem(id, at, "is " + render(node) + "; accepted: " + CONDITION_ACCEPTED));
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!CONDITION_KEYS.contains(name)) {
        problems.add(
            new RouteProblem(
                id,
                at + "." + name,
                "is not a known field; accepted: path, and one of equals, in, prefix, exists"));
      }
    }
    Optional<EnvelopePath> path = path(id, at + ".path", node.get("path"), problems);
    List<String> operators = OPERATORS.stream().filter(node::has).toList();
    if (operators.isEmpty()) {
      problems.add(new RouteProblem(id, at, "has no operator; accepted: " + CONDITION_ACCEPTED));
      return Optional.empty();
    }
    if (operators.size() > 1) {
      problems.add(
          new RouteProblem(
              id,
              at,
              "has "
                  + operators.size()
                  + " operators ("
                  + String.join(", ", operators)
                  + "); accepted: exactly one of equals, in, prefix, exists per condition (add"
                  + " another condition for another test)"));
      return Optional.empty();
    }
    String operator = operators.get(0);
    JsonNode value = node.get(operator);
    String valueAt = at + "." + operator;
    Optional<Condition> condition =
        switch (operator) {
          case "equals" -> {
            if (!isScalar(value)) {
              problems.add(
                  new RouteProblem(id, valueAt, "is " + render(value) + "; accepted: " + SCALAR));
              yield Optional.empty();
            }
            yield path.map(p -> new Condition.Equals(p, value));
          }
          case "in" ->
              in(id, valueAt, value, problems).flatMap(v -> path.map(p -> new Condition.In(p, v)));
          case "prefix" -> {
            if (!value.isTextual() || value.asText().isEmpty()) {
              problems.add(
                  new RouteProblem(
                      id,
                      valueAt,
                      "is "
                          + render(value)
                          + "; accepted: a non-empty string the value must start with, e.g."
                          + " \"order/\""));
              yield Optional.empty();
            }
            yield path.map(p -> new Condition.Prefix(p, value.asText()));
          }
          default -> {
            if (!value.isBoolean()) {
              problems.add(
                  new RouteProblem(
                      id,
                      valueAt,
                      "is "
                          + render(value)
                          + "; accepted: true (the path must lead to a value) or false (it must"
                          + " not)"));
              yield Optional.empty();
            }
            yield path.map(p -> new Condition.Exists(p, value.asBoolean()));
          }
        };
    return problems.size() == before ? condition : Optional.empty();
  }

  private static Optional<List<JsonNode>> in(
      String id, String at, JsonNode value, List<RouteProblem> problems) {
    String accepted = "a non-empty array of at most " + MAX_IN_VALUES + " scalars (" + SCALAR + ")";
    if (!value.isArray() || value.isEmpty() || value.size() > MAX_IN_VALUES) {
      String what =
          !value.isArray()
              ? "is " + render(value)
              : value.isEmpty() ? "is empty" : "has " + value.size() + " values";
      problems.add(new RouteProblem(id, at, what + "; accepted: " + accepted));
      return Optional.empty();
    }
    List<JsonNode> values = new ArrayList<>();
    boolean ok = true;
    for (int j = 0; j < value.size(); j++) {
      JsonNode v = value.get(j);
      if (!isScalar(v)) {
        problems.add(
            new RouteProblem(id, at + "[" + j + "]", "is " + render(v) + "; accepted: " + SCALAR));
        ok = false;
      }
      values.add(v);
    }
    return ok ? Optional.of(values) : Optional.empty();
  }

  private static Optional<EnvelopePath> path(
      String id, String at, JsonNode value, List<RouteProblem> problems) {
    if (value == null) {
      problems.add(new RouteProblem(id, at, "is missing; accepted: " + EnvelopePath.ACCEPTED));
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problems.add(
          new RouteProblem(id, at, "is " + render(value) + "; accepted: " + EnvelopePath.ACCEPTED));
      return Optional.empty();
    }
    EnvelopePath.Parsed parsed = EnvelopePath.parse(value.asText());
    if (parsed.problem().isPresent()) {
      problems.add(
          new RouteProblem(
              id,
              at,
              "is "
                  + render(value)
                  + ", which "
                  + parsed.problem().get()
                  + "; accepted: "
                  + EnvelopePath.ACCEPTED));
    }
    return parsed.path();
  }

  private static boolean isScalar(JsonNode value) {
    return value.isValueNode() || value.isNull();
  }

  private static String render(JsonNode value) {
    return Violations.render(value);
  }

  private static String quote(String text) {
    return render(text == null ? null : TextNode.valueOf(text));
  }
}
