package io.bptemporal.registry.taskrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.naming.IdentifierFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task factory's rules: which tasks a run produces, declared in the definition's {@code
 * input.tasks}.
 *
 * <pre>{@code
 * "input": {
 *   "tasks": [
 *     {"kind": "export.partition", "for_each": "facts.regions",
 *      "payload": {"region": "${item}", "from": "${run.window.from}", "to": "${run.window.to}"}},
 *     {"kind": "export.catch-up", "when": {"path": "run.window.missed_count", "greater_than": 1},
 *      "payload": {"runs": "${run.window.missed_count}"}},
 *     {"kind": "export.summary", "when": "facts.summary_enabled"}
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code kind} (required): the task kind; ordinals count per kind across all rules, from 0.
 *   <li>{@code when}: a path whose value must be present and truthy (not null/false/0/""/empty), or
 *       {@code {"path": p, "equals": v}} or {@code {"path": p, "greater_than": n}}; the rule adds
 *       nothing otherwise.
 *   <li>{@code for_each}: a path to an array: one task per element, {@code item} and {@code index}
 *       in scope.
 *   <li>{@code count}: a number or a path to one: that many tasks, {@code index} in scope. Not with
 *       {@code for_each}.
 *   <li>{@code payload}: a JSON template. A string that is exactly {@code ${path}} becomes the
 *       value at the path (any JSON type); {@code ${path}} inside a longer string is replaced by
 *       the value's text.
 * </ul>
 *
 * Paths are dot-separated names with optional {@code [n]} indexes into the run's context document
 * (RunActivity's {@code RunContext}: {@code activity}, {@code input}, {@code run}, {@code facts})
 * plus {@code item} and {@code index}. A malformed path or an unknown root is refused when the
 * rules are read ({@link #from}, which the scheduler calls at plan time); a path that does not
 * resolve in a run is an error then (a typo must not silently produce no tasks), except in {@code
 * when}.
 *
 * <p>Without rules, a run produces default tasks whose payload is the run's window, the
 * definition's input and the task's {@code part} of {@code parts}: one of kind {@value
 * #DEFAULT_KIND}, or as the short form says: {@code "input": {"kind": "cleanup.expired", "tasks":
 * 3}} makes three tasks of kind {@code cleanup.expired}.
 */
public final class TaskRules {
  public static final String DEFAULT_KIND = "activity.run";

  /** Keeps a run's result (its task keys) well inside Temporal's payload size limits. */
  public static final int MAX_TASKS = 1000;

  private static final Set<String> KEYS = Set.of("kind", "when", "for_each", "count", "payload");
  private static final Pattern WHOLE = Pattern.compile("\\$\\{([^}]+)}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((\\[\\d+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The roots of the context document, and the names a rule's scope adds. */
  public static final Set<String> ROOTS =
      Set.of("activity", "input", "run", "facts", "item", "index");

  private record TaskRule(
      String at,
      String kind,
      Optional<JsonNode> when,
      Optional<String> forEach,
      Optional<JsonNode> count,
      ObjectNode payload) {}

  private final List<TaskRule> rules;
  private final boolean declared;
  private final String defaultKind;
  private final int defaultCount;

  private TaskRules(List<TaskRule> rules, boolean declared, String defaultKind, int defaultCount) {
    this.rules = rules;
    this.declared = declared;
    this.defaultKind = defaultKind;
    this.defaultCount = defaultCount;
  }

  /**
   * Reads the rules of a definition's input; refuses malformed ones with every problem of the first
   * bad rule.
   */
  public static TaskRules from(ObjectNode input) {
    JsonNode tasks = input.get("tasks");
    if (tasks == null || tasks.isIntegralNumber()) {
      JsonNode kind = input.get("kind");
      if (kind != null
          && !(kind.isTextual() && IdentifierFormat.TASK_KIND.matches(kind.asText()))) {
        throw new TaskRuleException(
            "$.input.kind",
            "is "
                + kind
                + "; accepted: the kind of the run's default tasks,"
                + " dot-separated lowercase words, e.g. cleanup.expired");
      }
      if (tasks != null && (tasks.asLong() < 0 || tasks.asLong() > MAX_TASKS)) {
        throw new TaskRuleException(
            "$.input.tasks",
            "is "
                + tasks
                + "; accepted: a number of default tasks from 0 to "
                + MAX_TASKS
                + ", or an array of task rules");
      }
      return new TaskRules(
          List.of(),
          false,
          kind == null ? DEFAULT_KIND : kind.asText(),
          tasks == null ? 1 : tasks.asInt());
    }
    if (!tasks.isArray()) {
      throw new TaskRuleException(
          "$.input.tasks",
          "is a "
              + type(tasks)
              + "; accepted: an array of task rules"
              + " {kind, when?, for_each? | count?, payload?}, or a number of default tasks");
    }
    List<TaskRule> rules = new ArrayList<>();
    List<TaskRuleException.Problem> problems = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      try {
        rules.add(parse("$.input.tasks[" + i + "]", tasks.get(i)));
      } catch (TaskRuleException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new TaskRuleException(problems);
    }
    return new TaskRules(List.copyOf(rules), true, DEFAULT_KIND, 0);
  }

  private static TaskRule parse(String at, JsonNode rule) {
    if (!rule.isObject()) {
      throw new TaskRuleException(
          at,
          "is a "
              + type(rule)
              + "; accepted: an object {kind, when?, for_each? | count?,"
              + " payload?}");
    }
    List<TaskRuleException.Problem> problems = new ArrayList<>();
    rule.fieldNames()
        .forEachRemaining(
            name -> {
              if (!KEYS.contains(name)) {
                problems.add(
                    new TaskRuleException.Problem(
                        at + "." + name, "is not a known field; accepted: " + KEYS));
              }
            });
    JsonNode kind = rule.get("kind");
    if (kind == null || !kind.isTextual() || !IdentifierFormat.TASK_KIND.matches(kind.asText())) {
      problems.add(
          new TaskRuleException.Problem(
              at + ".kind",
              "is "
                  + (kind == null ? "missing" : kind.toString())
                  + "; accepted: dot-separated lowercase words, e.g. export.partition"));
    }
    JsonNode when = rule.get("when");
    if (when != null
        && !(when.isTextual()
            || when.isObject()
                && when.path("path").isTextual()
                && (when.has("equals") ^ when.has("greater_than"))
                && when.size() == 2
                && (!when.has("greater_than") || when.get("greater_than").isNumber()))) {
      problems.add(
          new TaskRuleException.Problem(
              at + ".when",
              "is "
                  + when
                  + "; accepted: a path, or {\"path\": p,"
                  + " \"equals\": value} or {\"path\": p, \"greater_than\": number}"));
    } else if (when != null) {
      checkPath(
          problems, at + ".when", when.isTextual() ? when.asText() : when.get("path").asText());
    }
    JsonNode forEach = rule.get("for_each");
    if (forEach != null && !forEach.isTextual()) {
      problems.add(
          new TaskRuleException.Problem(
              at + ".for_each",
              "is " + forEach + "; accepted: a path to an array," + " e.g. facts.regions"));
    } else if (forEach != null) {
      checkPath(problems, at + ".for_each", forEach.asText());
    }
    JsonNode count = rule.get("count");
    if (count != null && !(count.isTextual() || count.isIntegralNumber() && count.asInt() >= 0)) {
      problems.add(
          new TaskRuleException.Problem(
              at + ".count",
              "is " + count + "; accepted: a whole number >= 0 or a" + " path to one"));
    } else if (count != null && count.isTextual()) {
      checkPath(problems, at + ".count", count.asText());
    }
    if (forEach != null && count != null) {
      problems.add(
          new TaskRuleException.Problem(
              at, "has both for_each and count; accepted: at most one of them"));
    }
    JsonNode payload = rule.get("payload");
    if (payload != null && !payload.isObject()) {
      problems.add(
          new TaskRuleException.Problem(
              at + ".payload",
              "is a " + type(payload) + "; accepted: a JSON object" + " template"));
    } else if (payload != null) {
      checkPlaceholders(problems, at + ".payload", payload);
    }
    if (!problems.isEmpty()) {
      throw new TaskRuleException(problems);
    }
    return new TaskRule(
        at,
        kind.asText(),
        Optional.ofNullable(when),
        Optional.ofNullable(forEach).map(JsonNode::asText),
        Optional.ofNullable(count),
        payload == null ? JSON.objectNode() : (ObjectNode) payload.deepCopy());
  }

  /**
   * The tasks the rules produce for {@code context} (the run's context document), in rule order.
   */
  public List<PlannedTask> evaluate(ObjectNode context) {
    if (!declared) {
      List<PlannedTask> tasks = new ArrayList<>();
      for (int part = 0; part < defaultCount; part++) {
        ObjectNode payload = defaultPayload(context);
        payload.put("part", part);
        payload.put("parts", defaultCount);
        tasks.add(new PlannedTask(defaultKind, part, payload));
      }
      return tasks;
    }
    Map<String, Integer> ordinals = new HashMap<>();
    List<PlannedTask> tasks = new ArrayList<>();
    for (TaskRule rule : rules) {
      if (rule.when().isPresent() && !holds(rule, rule.when().get(), context)) {
        continue;
      }
      List<ObjectNode> scopes = scopes(rule, context);
      for (ObjectNode scope : scopes) {
        int ordinal = ordinals.merge(rule.kind(), 1, Integer::sum) - 1;
        JsonNode payload = render(rule.at() + ".payload", rule.payload(), scope);
        tasks.add(new PlannedTask(rule.kind(), ordinal, (ObjectNode) payload));
        if (tasks.size() > MAX_TASKS) {
          throw new TaskRuleException(
              rule.at(),
              "makes the task rules produce more than "
                  + MAX_TASKS
                  + " tasks for run "
                  + context.path("run").path("run_key").asText()
                  + "; accepted: at most "
                  + MAX_TASKS
                  + " tasks per run (split the work into coarser tasks)");
        }
      }
    }
    return tasks;
  }

  private static ObjectNode defaultPayload(ObjectNode context) {
    ObjectNode payload = JSON.objectNode();
    payload.set("activity_id", context.path("activity").path("activity_id"));
    payload.set("scheduled_for", context.path("run").path("scheduled_for"));
    payload.set("window", context.path("run").path("window").deepCopy());
    JsonNode event = context.path("run").path("event");
    if (event.isObject()) {
      payload.set("event_id", event.path("event_id"));
      payload.set("event_type", event.path("type"));
    }
    payload.set("input", context.path("input").deepCopy());
    return payload;
  }

  private static boolean holds(TaskRule rule, JsonNode when, ObjectNode context) {
    if (when.isTextual()) {
      return resolve(rule.at() + ".when", context, when.asText())
          .map(TaskRules::truthy)
          .orElse(false);
    }
    Optional<JsonNode> value =
        resolve(rule.at() + ".when.path", context, when.get("path").asText());
    if (when.has("equals")) {
      return value.map(v -> v.equals(when.get("equals"))).orElse(false);
    }
    return value
        .filter(JsonNode::isNumber)
        .map(v -> v.decimalValue().compareTo(when.get("greater_than").decimalValue()) > 0)
        .orElse(false);
  }

  private static boolean truthy(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.decimalValue().signum() != 0;
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    return value.size() > 0;
  }

  private static List<ObjectNode> scopes(TaskRule rule, ObjectNode context) {
    List<ObjectNode> scopes = new ArrayList<>();
    if (rule.forEach().isPresent()) {
      String path = rule.forEach().get();
      JsonNode items =
          resolve(rule.at() + ".for_each", context, path)
              .orElseThrow(() -> unresolved(rule.at() + ".for_each", path, context));
      if (!items.isArray()) {
        throw new TaskRuleException(
            rule.at() + ".for_each",
            "has path '" + path + "' to a " + type(items) + "; accepted: a" + " path to an array");
      }
      for (int i = 0; i < items.size(); i++) {
        ObjectNode scope = context.deepCopy();
        scope.set("item", items.get(i));
        scope.put("index", i);
        scopes.add(scope);
      }
      return scopes;
    }
    int times = 1;
    if (rule.count().isPresent()) {
      JsonNode count = rule.count().get();
      if (count.isTextual()) {
        JsonNode value =
            resolve(rule.at() + ".count", context, count.asText())
                .orElseThrow(() -> unresolved(rule.at() + ".count", count.asText(), context));
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > MAX_TASKS) {
          throw new TaskRuleException(
              rule.at() + ".count",
              "has path '"
                  + count.asText()
                  + "' to "
                  + value
                  + "; accepted:"
                  + " a whole number from 0 to "
                  + MAX_TASKS);
        }
        times = value.asInt();
      } else {
        times = (int) Math.min(count.asLong(), MAX_TASKS + 1L);
      }
    }
    for (int i = 0; i < times; i++) {
      ObjectNode scope = context.deepCopy();
      scope.put("index", i);
      scopes.add(scope);
    }
    return scopes;
  }

  private static JsonNode render(String at, JsonNode template, ObjectNode scope) {
    if (template.isObject()) {
      ObjectNode out = JSON.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.set(field.getKey(), render(at + "." + field.getKey(), field.getValue(), scope));
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = JSON.arrayNode();
      for (int i = 0; i < template.size(); i++) {
        out.add(render(at + "[" + i + "]", template.get(i), scope));
      }
      return out;
    }
    if (!template.isTextual()) {
      return template.deepCopy();
    }
    String text = template.textValue();
    Matcher whole = WHOLE.matcher(text);
    if (whole.matches()) {
      String path = whole.group(1).strip();
      return resolve(at, scope, path).orElseThrow(() -> unresolved(at, path, scope)).deepCopy();
    }
    Matcher placeholders = PLACEHOLDER.matcher(text);
    StringBuilder rendered = new StringBuilder();
    while (placeholders.find()) {
      String path = placeholders.group(1).strip();
      JsonNode value = resolve(at, scope, path).orElseThrow(() -> unresolved(at, path, scope));
      placeholders.appendReplacement(
          rendered,
          Matcher.quoteReplacement(value.isTextual() ? value.textValue() : value.toString()));
    }
    placeholders.appendTail(rendered);
    return JSON.textNode(rendered.toString());
  }

  /**
   * A path that can never resolve (malformed, or outside the context's roots) is a problem of the
   * rule itself.
   */
  private static void checkPath(List<TaskRuleException.Problem> problems, String at, String path) {
    String[] segments = path.split("\\.", -1);
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches()) {
        problems.add(
            new TaskRuleException.Problem(
                at,
                "path '"
                    + path
                    + "' is malformed at '"
                    + segment
                    + "'; accepted:"
                    + " dot-separated names with optional [n] indexes, e.g. facts.regions[0].code"));
        return;
      }
    }
    String root = segments[0].replaceAll("\\[.*", "");
    if (!ROOTS.contains(root)) {
      problems.add(
          new TaskRuleException.Problem(
              at,
              "path '"
                  + path
                  + "' starts at '"
                  + root
                  + "', which the run's"
                  + " context does not have; accepted: a path starting at one of "
                  + new java.util.TreeSet<>(ROOTS)));
    }
  }

  private static void checkPlaceholders(
      List<TaskRuleException.Problem> problems, String at, JsonNode template) {
    if (template.isObject()) {
      template
          .fields()
          .forEachRemaining(f -> checkPlaceholders(problems, at + "." + f.getKey(), f.getValue()));
    } else if (template.isArray()) {
      for (int i = 0; i < template.size(); i++) {
        checkPlaceholders(problems, at + "[" + i + "]", template.get(i));
      }
    } else if (template.isTextual()) {
      Matcher placeholders = PLACEHOLDER.matcher(template.textValue());
      while (placeholders.find()) {
        checkPath(problems, at, placeholders.group(1).strip());
      }
    }
  }

  /**
   * The value at {@code path}, or empty when any step is missing or null. A malformed path is an
   * error at {@code at}, the field of the rule that holds the path (parsing already refuses them;
   * this guards rules built otherwise).
   */
  static Optional<JsonNode> resolve(String at, JsonNode root, String path) {
    JsonNode current = root;
    for (String segment : path.split("\\.", -1)) {
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches()) {
        throw new TaskRuleException(
            at,
            "has path '"
                + path
                + "', malformed at '"
                + segment
                + "'; accepted: dot-separated"
                + " names with optional [n] indexes, e.g. facts.regions[0].code");
      }
      current = current.get(m.group(1));
      Matcher index = INDEX.matcher(m.group(2));
      while (current != null && index.find()) {
        current = current.get(Integer.parseInt(index.group(1)));
      }
      if (current == null || current.isNull()) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  private static TaskRuleException unresolved(String at, String path, JsonNode scope) {
    List<String> roots = new ArrayList<>();
    scope.fieldNames().forEachRemaining(roots::add);
    String facts =
        scope.path("facts").isObject() ? " (facts: " + iterate(scope.path("facts")) + ")" : "";
    return new TaskRuleException(
        at,
        "has path '"
            + path
            + "' with no value in the run's context; accepted: a path"
            + " into "
            + roots
            + facts);
  }

  private static List<String> iterate(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String type(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
