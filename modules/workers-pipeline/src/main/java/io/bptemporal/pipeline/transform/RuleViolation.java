package io.bptemporal.pipeline.transform;

import java.util.Objects;

/**
 * Why a record was rejected: which rule, on which field, what was wrong, what is accepted and the
 * value found.
 *
 * @param rule {@code <rule set>/<rule>}, e.g. {@code customers-v1/email.format}
 * @param field the field, or {@code (record)} for the record as a whole
 * @param message what is wrong
 * @param accepted what would have been accepted
 * @param value the offending value as JSON text, {@code (missing)} when absent
 */
public record RuleViolation(
    String rule, String field, String message, String accepted, String value) {
  public static final String WHOLE_RECORD = "(record)";
  public static final String MISSING = "(missing)";

  public RuleViolation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(value, "value");
  }

  /**
   * {@code email: does not look like an e-mail address (found "x"; accepted: …)
   * [customers-v1/email.format]}.
   */
  @Override
  public String toString() {
    return field
        + ": "
        + message
        + " (found "
        + value
        + "; accepted: "
        + accepted
        + ") ["
        + rule
        + "]";
  }
}
