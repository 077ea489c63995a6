package io.bptemporal.contracts.naming;

import java.util.regex.Pattern;

/**
 * The identifier formats of the contracts, defined once. The JSON Schemas repeat each pattern in
 * their {@code $defs} (a test keeps them equal); Java code checks values with {@link
 * #check(String)}.
 *
 * <p>Every format keeps to characters that need no escaping in a Temporal Web UI URL, a visibility
 * query ({@code WorkflowId = '...'}), a log line or a metric label.
 */
public enum IdentifierFormat {
  ACTIVITY_ID(
      "activity_id",
      "^[a-z0-9][a-z0-9._-]{0,99}$",
      "1-100 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit,"
          + " e.g. nightly-export"),
  NAMESPACE(
      "namespace",
      "^[a-z][a-z0-9-]{0,62}$",
      "1-63 characters: lowercase letters, digits and '-', starting with a letter, e.g. pipelines"),
  TASK_QUEUE(
      "task_queue",
      "^[a-z0-9][a-z0-9._-]{0,99}$",
      "1-100 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit,"
          + " e.g. pipelines-tq"),
  WORKFLOW_TYPE(
      "workflow_type",
      "^[A-Za-z][A-Za-z0-9_.-]{0,199}$",
      "1-200 characters: letters, digits, '_', '.' and '-', starting with a letter, e.g. RunActivityWorkflow"),
  ORDER_ID(
      "order_id",
      "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
      "1-128 characters: letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. o-1001"),
  CUSTOMER_ID(
      "customer_id",
      "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
      "1-128 characters: letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. c-42"),
  PIPELINE_ID(
      "pipeline_id",
      "^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$",
      "1-200 characters: letters, digits, '.', '_', ':' and '-', starting with a letter or digit,"
          + " e.g. orders-daily-2026-11-21"),
  EVENT_ID(
      "event_id",
      "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$",
      "1-128 characters: letters, digits, '.', '_', ':' and '-', starting with a letter or digit,"
          + " e.g. a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e"),
  EVENT_TYPE(
      "type",
      "^(?=.{3,200}$)[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$",
      "3-200 characters: at least two dot-separated lowercase words (letters, digits, '_', '-';"
          + " each starting with a letter), e.g. order.placed"),
  EVENT_SOURCE(
      "source",
      "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$",
      "1-200 characters: letters, digits, '.', '_', ':', '/' and '-', starting with a letter or digit,"
          + " e.g. bp/orders-saga"),
  TASK_KIND(
      "kind",
      "^(?=.{1,100}$)[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$",
      "1-100 characters: dot-separated lowercase words (letters, digits, '_', '-'; each starting with"
          + " a letter), e.g. export.partition"),
  RULE_SET(
      "rule_set",
      "^[a-z0-9][a-z0-9._-]{0,99}$",
      "1-100 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit,"
          + " e.g. orders-v1");

  private final String field;
  private final String regex;
  private final Pattern pattern;
  private final String accepted;

  IdentifierFormat(String field, String regex, String accepted) {
    this.field = field;
    this.regex = regex;
    this.pattern = Pattern.compile(regex);
    this.accepted = accepted;
  }

  /** The JSON field this format applies to, e.g. {@code activity_id}. */
  public String field() {
    return field;
  }

  /**
   * The ECMA-262/java.util.regex pattern, anchored with {@code ^...$}, as it appears in the
   * schemas.
   */
  public String regex() {
    return regex;
  }

  /** What the format accepts, in words. */
  public String accepted() {
    return accepted;
  }

  public boolean matches(String value) {
    // matches() checks the whole input, so a trailing line break cannot slip past the final "$".
    return value != null && pattern.matcher(value).matches();
  }

  /** Returns the value, or throws an exception naming the field, the value and what is accepted. */
  public String check(String value) {
    if (!matches(value)) {
      throw new IllegalArgumentException(
          field
              + " "
              + (value == null ? "is missing" : "'" + value + "' is not valid")
              + "; accepted: "
              + accepted);
    }
    return value;
  }
}
