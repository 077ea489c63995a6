package io.bptemporal.contracts.validation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One thing wrong with a document.
 *
 * @param path JSONPath-like location of the offending value, e.g. {@code $.trigger.cron[1]}
 * @param message what is wrong, e.g. {@code hour field '24' is out of range 0-23}
 * @param accepted what would have been accepted, in words a user can act on
 * @param offendingValue the value found, rendered as compact JSON ({@code "abc"}, {@code 42}), or
 *     {@value #MISSING} when a required field is absent; {@code found} in JSON
 */
public record Violation(
    String path, String message, String accepted, @JsonProperty("found") String offendingValue) {

  /** The offending value of a required field that is absent. */
  public static final String MISSING = "(missing)";

  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(offendingValue, "offendingValue");
  }

  @Override
  public String toString() {
    return path + ": " + message + " (found " + offendingValue + "; accepted: " + accepted + ")";
  }
}
