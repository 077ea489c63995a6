package io.bptemporal.pipeline.transform;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Ready-made rules on single fields. Each rule is named {@code <field>.<check>} unless a name is
 * given; checks other than {@link #required} pass an absent (or null) value, so optional fields
 * stay optional.
 */
public final class FieldRules {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private FieldRules() {}

  /** A rule whose body gets itself, so that it can name itself in a violation. */
  private static final class NamedRule implements Rule {
    private final String name;
    private final RuleKind kind;
    private final List<String> fields;
    private final List<String> outputs;
    private final BiConsumer<Rule, WorkingRecord> body;

    NamedRule(
        String name,
        RuleKind kind,
        List<String> fields,
        List<String> outputs,
        BiConsumer<Rule, WorkingRecord> body) {
      this.name = Objects.requireNonNull(name, "name");
      this.kind = Objects.requireNonNull(kind, "kind");
      this.fields = List.copyOf(fields);
      this.outputs = List.copyOf(outputs);
      this.body = Objects.requireNonNull(body, "body");
    }

    @Override
    public List<String> outputs() {
      return outputs;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public RuleKind kind() {
      return kind;
    }

    @Override
    public List<String> fields() {
      return fields;
    }

    @Override
    public void apply(WorkingRecord record) {
      body.accept(this, record);
    }

    @Override
    public String toString() {
      return name + " (" + kind.name().toLowerCase(Locale.ROOT) + ")";
    }
  }

  /**
   * A rule of your own from a lambda (checks across fields, lookups); reject through {@code
   * WorkingRecord}.
   *
   * @param inputs the fields it reads (it is skipped when one of them failed)
   * @param outputs the fields it sets from them
   */
  public static Rule of(
      String name,
      RuleKind kind,
      List<String> inputs,
      List<String> outputs,
      BiConsumer<Rule, WorkingRecord> body) {
    return new NamedRule(name, kind, inputs, outputs, body);
  }

  private static Rule change(
      String name, RuleKind kind, String field, Consumer<WorkingRecord> body) {
    return new NamedRule(
        name, kind, List.of(field), List.of(field), (rule, record) -> body.accept(record));
  }

  // ---- normalisation
  // ------------------------------------------------------------------------------------------

  /**
   * Strips leading and trailing white space of a text value; a value that is then empty becomes
   * null.
   */
  public static Rule trimToNull(String field) {
    return change(
        field + ".trim",
        RuleKind.NORMALISATION,
        field,
        r ->
            r.text(field)
                .ifPresent(
                    s -> {
                      String stripped = s.strip();
                      r.set(field, stripped.isEmpty() ? null : stripped);
                    }));
  }

  /** Collapses runs of white space inside a text value to one space. */
  public static Rule collapseWhitespace(String field) {
    return change(
        field + ".whitespace",
        RuleKind.NORMALISATION,
        field,
        r -> r.text(field).ifPresent(s -> r.set(field, collapse(s.strip()))));
  }

  /**
   * {@code \s+} to one space, with a scan first: most values have nothing to collapse, and the
   * regular expression's replaceAll copied every one of them (a top frame of a load's profile).
   */
  private static String collapse(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean space = ch == ' ';
      if ((space && i + 1 < s.length() && isRegexWhitespace(s.charAt(i + 1)))
          || (!space && isRegexWhitespace(ch))) {
        return WHITESPACE.matcher(s).replaceAll(" ");
      }
    }
    return s;
  }

  /** What {@code \s} matches without UNICODE_CHARACTER_CLASS: {@code [ \t\n\x0B\f\r]}. */
  private static boolean isRegexWhitespace(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\u000B' || ch == '\f' || ch == '\r';
  }

  public static Rule lowercase(String field) {
    return change(
        field + ".lowercase",
        RuleKind.NORMALISATION,
        field,
        r -> r.text(field).ifPresent(s -> r.set(field, s.toLowerCase(Locale.ROOT))));
  }

  public static Rule uppercase(String field) {
    return change(
        field + ".uppercase",
        RuleKind.NORMALISATION,
        field,
        r -> r.text(field).ifPresent(s -> r.set(field, s.toUpperCase(Locale.ROOT))));
  }

  // ---- validation
  // ---------------------------------------------------------------------------------------------

  public static Rule required(String field) {
    return new NamedRule(
        field + ".required",
        RuleKind.VALIDATION,
        List.of(field),
        List.of(),
        (rule, record) -> {
          if (!record.has(field)) {
            record.reject(rule, field, "is required", "a non-empty value");
          }
        });
  }

  /** Text matching {@code pattern} as a whole. */
  public static Rule matches(String name, String field, String pattern, String accepted) {
    Pattern compiled = Pattern.compile(pattern);
    return checked(
        name,
        field,
        value -> value instanceof String s && compiled.matcher(s).matches(),
        "does not have the accepted format",
        accepted);
  }

  public static Rule maxLength(String field, int max) {
    return checked(
        field + ".length",
        field,
        value -> !(value instanceof String s) || s.length() <= max,
        "is longer than " + max + " characters",
        "at most " + max + " characters");
  }

  /** One of the given values (compared exactly, so normalise the case first). */
  public static Rule oneOf(String name, String field, Set<String> values, String accepted) {
    Set<String> allowed = Set.copyOf(values);
    return checked(
        name,
        field,
        value -> value instanceof String s && allowed.contains(s),
        "is not an accepted value",
        accepted);
  }

  /** A whole number within {@code [min, max]}; text like {@code "42"} becomes a Long. */
  public static Rule integer(String field, long min, long max) {
    String accepted = "a whole number from " + min + " to " + max;
    return converted(
        field + ".integer",
        field,
        accepted,
        value -> {
          Long number = ColumnType.BIGINT.coerce(value).map(Long.class::cast).orElse(null);
          return number != null && number >= min && number <= max ? number : null;
        });
  }

  /** A decimal number within {@code [min, max]}; text like {@code "12.50"} becomes a BigDecimal. */
  public static Rule decimal(String field, BigDecimal min, BigDecimal max) {
    String accepted = "a decimal number from " + min.toPlainString() + " to " + max.toPlainString();
    return converted(
        field + ".decimal",
        field,
        accepted,
        value -> {
          BigDecimal number =
              ColumnType.NUMERIC.coerce(value).map(BigDecimal.class::cast).orElse(null);
          return number != null && number.compareTo(min) >= 0 && number.compareTo(max) <= 0
              ? number
              : null;
        });
  }

  /** A calendar date {@code yyyy-mm-dd} within {@code [earliest, latest]}; becomes a LocalDate. */
  public static Rule date(String field, LocalDate earliest, LocalDate latest) {
    String accepted = "a date yyyy-mm-dd from " + earliest + " to " + latest;
    return converted(
        field + ".date",
        field,
        accepted,
        value -> {
          try {
            LocalDate date =
                value instanceof LocalDate d ? d : value instanceof String s ? isoDate(s) : null;
            return date != null && !date.isBefore(earliest) && !date.isAfter(latest) ? date : null;
          } catch (DateTimeParseException e) {
            return null;
          }
        });
  }

  /**
   * {@code LocalDate.parse}, with the common {@code yyyy-mm-dd} read directly: the formatter's
   * general parse was a top frame of a load's profile. Same results: {@code LocalDate.of} refuses
   * what the strict ISO resolver refuses (month 13, February 30).
   */
  static LocalDate isoDate(String s) {
    if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 7);
      int day = digits(s, 8, 10);
      if (year >= 0 && month >= 0 && day >= 0) {
        try {
          return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
          throw new DateTimeParseException(e.getMessage(), s, 0, e);
        }
      }
    }
    return LocalDate.parse(s);
  }

  /** The ASCII digits of {@code s[from, to)} as a number, or -1 when one is not a digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      value = value * 10 + (ch - '0');
    }
    return value;
  }

  // ---- enrichment
  // ---------------------------------------------------------------------------------------------

  /** Sets {@code target} to {@code derive(record)} when every input field is present. */
  public static Rule derive(
      String target, List<String> inputs, Function<WorkingRecord, Object> derive) {
    return new NamedRule(
        target + ".derive",
        RuleKind.ENRICHMENT,
        inputs,
        List.of(target),
        (rule, r) -> {
          if (inputs.stream().allMatch(r::has)) {
            r.set(target, derive.apply(r));
          }
        });
  }

  /**
   * Sets {@code target} to the value {@code table} maps the field's value to, when there is one.
   */
  public static Rule lookup(String field, String target, Map<String, ?> table) {
    Map<String, ?> copy = Map.copyOf(table);
    return new NamedRule(
        target + ".lookup",
        RuleKind.ENRICHMENT,
        List.of(field),
        List.of(target),
        (rule, r) ->
            r.text(field)
                .ifPresent(
                    key -> {
                      Object value = copy.get(key);
                      if (value != null) {
                        r.set(target, value);
                      }
                    }));
  }

  // ---- building blocks
  // ----------------------------------------------------------------------------------------

  private static Rule checked(
      String name, String field, Predicate<Object> ok, String message, String accepted) {
    return new NamedRule(
        name,
        RuleKind.VALIDATION,
        List.of(field),
        List.of(),
        (rule, record) -> {
          Object value = record.get(field);
          if (value != null && !ok.test(value)) {
            record.reject(rule, field, message, accepted);
          }
        });
  }

  /**
   * Converts a present value with {@code convert}; null from it means out of range or not
   * convertible.
   */
  private static Rule converted(
      String name, String field, String accepted, Function<Object, Object> convert) {
    return new NamedRule(
        name,
        RuleKind.VALIDATION,
        List.of(field),
        List.of(),
        (rule, record) -> {
          Object value = record.get(field);
          if (value == null) {
            return;
          }
          Object result = convert.apply(value);
          if (result == null) {
            record.reject(rule, field, "is not " + accepted, accepted);
          } else {
            record.set(field, result);
          }
        });
  }
}
