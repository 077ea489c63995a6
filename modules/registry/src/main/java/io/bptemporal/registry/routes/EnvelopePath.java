package io.bptemporal.registry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path into an event envelope as a route's filter names it: {@code $.}-rooted, dot-separated
 * names, each optionally followed by array indexes: {@code $.type}, {@code $.subject}, {@code
 * $.payload.country}, {@code $.payload.lines[0].sku}. The first name is an envelope field; only
 * {@code payload} has fields below it.
 *
 * <p>Resolving never fails: a path that leads nowhere in a given envelope resolves to a missing
 * node (which {@code exists: false} matches and every other condition does not).
 */
public final class EnvelopePath {
  /** The envelope's fields (contract event-envelope/v1), the roots a path may start with. */
  public static final Set<String> ROOTS =
      Set.of(
          "event_id",
          "type",
          "source",
          "occurred_at",
          "subject",
          "trace_id",
          "schema_version",
          "payload");

  /** The one root with fields below it. */
  public static final String PAYLOAD = "payload";

  public static final int MAX_LENGTH = 500;
  public static final int MAX_DEPTH = 32;

  public static final String ACCEPTED =
      "a path starting with '$.' and an envelope field (event_id, type, source, occurred_at,"
          + " subject, trace_id, schema_version, payload), then for payload any dot-separated field"
          + " names (letters, digits, '_', '-') with optional [n] array indexes, e.g."
          + " $.payload.country or $.payload.lines[0].sku; at most "
          + MAX_LENGTH
          + " characters";

  private static final Pattern SEGMENT =
      Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_-]*)((?:\\[\\d{1,6}])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,6})]");

  /** A field name or an array index. */
  private sealed interface Step {}

  private record Field(String name) implements Step {}

  private record Index(int index) implements Step {}

  private final String text;
  private final List<Step> steps;

  private EnvelopePath(String text, List<Step> steps) {
    this.text = text;
    this.steps = List.copyOf(steps);
  }

  /**
   * Parses {@code text}; empty with the reason (without the accepted form, see {@link #ACCEPTED})
   * when it is not a path this language accepts.
   */
  public static Parsed parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_LENGTH) {
      return Parsed.problem("is " + text.length() + " characters long");
    }
    if (!text.startsWith("$.")) {
      return Parsed.problem("does not start with '$.'");
    }
    String[] segments = text.substring(2).split("\\.", -1);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        return Parsed.problem("has an empty name at position " + (i + 1));
      }
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches()) {
        return Parsed.problem("has a name that is not accepted: '" + segment + "'");
      }
      steps.add(new Field(m.group(1)));
      Matcher index = INDEX.matcher(m.group(2));
      while (index.find()) {
        steps.add(new Index(Integer.parseInt(index.group(1))));
      }
    }
    if (steps.size() > MAX_DEPTH) {
      return Parsed.problem("is " + steps.size() + " steps deep (at most " + MAX_DEPTH + ")");
    }
    String root = ((Field) steps.get(0)).name();
    if (!ROOTS.contains(root)) {
      return Parsed.problem("starts with '" + root + "', which is not an envelope field");
    }
    if (!root.equals(PAYLOAD) && steps.size() > 1) {
      return Parsed.problem(
          "goes below the envelope field '"
              + root
              + "', which is a string; only $.payload has"
              + " fields below it");
    }
    return new Parsed(Optional.of(new EnvelopePath(text, steps)), Optional.empty());
  }

  /** The value at this path in {@code envelope}, or a missing node. */
  public JsonNode resolve(JsonNode envelope) {
    JsonNode node = envelope;
    for (Step step : steps) {
      if (node == null || node.isMissingNode()) {
        return MissingNode.getInstance();
      }
      node =
          switch (step) {
            case Field f -> node.isObject() ? node.path(f.name()) : MissingNode.getInstance();
            case Index i -> node.isArray() ? node.path(i.index()) : MissingNode.getInstance();
          };
    }
    return node == null ? MissingNode.getInstance() : node;
  }

  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopePath other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  /** The outcome of {@link #parse}: a path or the reason it is not one. */
  public record Parsed(Optional<EnvelopePath> path, Optional<String> problem) {
    static Parsed problem(String reason) {
      return new Parsed(Optional.empty(), Optional.of(reason));
    }
  }
}
