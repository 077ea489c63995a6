package io.bptemporal.registry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One condition of a route's filters; a route matches an envelope when all of its conditions hold.
 *
 * <ul>
 *   <li>{@code {"path": p, "equals": v}}: the value at {@code p} equals the JSON scalar {@code v}
 *       (numbers compare by value: {@code 1} equals {@code 1.0});
 *   <li>{@code {"path": p, "in": [v1, v2, ...]}}: it equals one of them;
 *   <li>{@code {"path": p, "prefix": "order/"}}: it is a string starting with the prefix;
 *   <li>{@code {"path": p, "exists": true|false}}: the path leads to a value (JSON {@code null}
 *       counts as a value) or not.
 * </ul>
 */
public sealed interface Condition {
  EnvelopePath path();

  /** Whether the condition holds for this envelope (its JSON document). */
  boolean test(JsonNode envelope);

  record Equals(EnvelopePath path, JsonNode value) implements Condition {
    public Equals {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean test(JsonNode envelope) {
      return sameScalar(path.resolve(envelope), value);
    }
  }

  record In(EnvelopePath path, List<JsonNode> values) implements Condition {
    public In {
      Objects.requireNonNull(path, "path");
      values = List.copyOf(values);
    }

    @Override
    public boolean test(JsonNode envelope) {
      JsonNode found = path.resolve(envelope);
      return values.stream().anyMatch(v -> sameScalar(found, v));
    }
  }

  record Prefix(EnvelopePath path, String prefix) implements Condition {
    public Prefix {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public boolean test(JsonNode envelope) {
      JsonNode found = path.resolve(envelope);
      return found.isTextual() && found.asText().startsWith(prefix);
    }
  }

  record Exists(EnvelopePath path, boolean exists) implements Condition {
    public Exists {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public boolean test(JsonNode envelope) {
      return path.resolve(envelope).isMissingNode() != exists;
    }
  }

  /** Scalar equality, numbers by value; a missing node, an object or an array equals nothing. */
  private static boolean sameScalar(JsonNode found, JsonNode expected) {
    if (found == null || found.isMissingNode() || found.isContainerNode()) {
      return false;
    }
    if (found.isNumber() && expected.isNumber()) {
      return found.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return found.equals(expected);
  }
}
