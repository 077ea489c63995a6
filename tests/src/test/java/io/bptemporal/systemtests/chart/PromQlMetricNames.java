package io.bptemporal.systemtests.chart;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric names referenced by a PromQL expression (alert rules, dashboard queries).
 *
 * <p>Not a full PromQL parser: it removes everything that cannot be a metric name (string literals,
 * label matchers, range and subquery brackets, grouping label lists, Grafana variables) and keeps
 * the identifiers that are neither functions/aggregations (followed by "(") nor keywords. That is
 * exact for the expressions a chart ships, and it errs towards reporting too much, which makes the
 * catalog check fail loudly, not silently.
 */
final class PromQlMetricNames {

  private static final Pattern STRINGS =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern TOKENS =
      Pattern.compile(
          "\\$\\{?[A-Za-z0-9_]+}?" // Grafana variable
              + "|[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?[smhdwy]?" // number or duration
              + "|([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?"); // identifier, maybe a call
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "atan2",
          "inf",
          "nan",
          "start",
          "end");

  private static final Pattern MATCHER_LABELS =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private PromQlMetricNames() {}

  /**
   * Label names an expression groups by or matches on ({@code by (x)}, {@code {x="..."}}); {@code
   * __name__} excluded.
   */
  static Set<String> labelsIn(String expression) {
    String rest = STRINGS.matcher(expression).replaceAll("\"\"");
    Set<String> labels = new LinkedHashSet<>();
    Matcher block = MATCHERS.matcher(rest);
    while (block.find()) {
      Matcher m = MATCHER_LABELS.matcher(block.group());
      while (m.find()) {
        labels.add(m.group(1));
      }
    }
    Matcher grouping = GROUPING.matcher(rest);
    while (grouping.find()) {
      String list =
          grouping
              .group()
              .substring(grouping.group().indexOf('(') + 1, grouping.group().lastIndexOf(')'));
      Matcher m = LABEL.matcher(list);
      while (m.find()) {
        labels.add(m.group());
      }
    }
    labels.remove("__name__");
    return labels;
  }

  static Set<String> in(String expression) {
    String rest = STRINGS.matcher(expression).replaceAll(" ");
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGES.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOKENS.matcher(rest);
    while (m.find()) {
      String identifier = m.group(1);
      boolean call = m.group(2) != null;
      if (identifier != null
          && !call
          && !KEYWORDS.contains(identifier.toLowerCase(java.util.Locale.ROOT))) {
        names.add(identifier);
      }
    }
    return names;
  }
}
