package io.bptemporal.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Collects violations while a document is checked, so that a caller sees all of them at once. */
public final class Violations {

  /**
   * Offending values longer than this are cut: a violation names the value, it does not echo a
   * payload.
   */
  private static final int MAX_RENDERED_LENGTH = 160;

  private final List<Violation> found = new ArrayList<>();

  public void add(JsonPath path, String message, String accepted, JsonNode offending) {
    found.add(new Violation(path.value(), message, accepted, render(offending)));
  }

  public void addMissing(JsonPath path, String message, String accepted) {
    found.add(new Violation(path.value(), message, accepted, Violation.MISSING));
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<Violation> list() {
    return List.copyOf(found);
  }

  /**
   * Compact JSON of the value: strings keep their quotes so that {@code "42"} and {@code 42}
   * differ.
   */
  public static String render(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return Violation.MISSING;
    }
    String text = value.toString();
    return text.length() <= MAX_RENDERED_LENGTH
        ? text
        : text.substring(0, MAX_RENDERED_LENGTH) + "…";
  }
}
