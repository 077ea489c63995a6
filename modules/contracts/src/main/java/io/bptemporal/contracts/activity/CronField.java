package io.bptemporal.contracts.activity;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * One field of a cron expression or of a calendar spec, with the range syntax the Temporal server
 * accepts: {@code *}, {@code n}, {@code a-b}, {@code a-b/s}, {@code n/s} (n to the end of the
 * range), {@code *}{@code /s}, and comma-separated lists of these. Months and days of the week also
 * take three-letter English names ({@code JAN}, {@code MON}), in any case. Quartz-style {@code ?},
 * {@code L}, {@code W} and {@code #} are not part of Temporal's syntax and are refused.
 */
public enum CronField {
  SECOND("second", 0, 59, List.of()),
  MINUTE("minute", 0, 59, List.of()),
  HOUR("hour", 0, 23, List.of()),
  DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
  MONTH(
      "month",
      1,
      12,
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
  /** 0 and 7 are both Sunday, as in Temporal. */
  DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

  private final String label;
  private final int min;
  private final int max;

  /** Names in order of their value, starting at {@link #min} for months (1) and days (0). */
  private final List<String> names;

  CronField(String label, int min, int max, List<String> names) {
    this.label = label;
    this.min = min;
    this.max = max;
    this.names = names;
  }

  public String label() {
    return label;
  }

  /** The accepted values in words, e.g. {@code 0-23} or {@code 1-12 or JAN-DEC}. */
  public String range() {
    return min
        + "-"
        + max
        + (names.isEmpty() ? "" : " or " + names.getFirst() + "-" + names.getLast());
  }

  /**
   * The values the spec selects, ascending; day-of-week 7 is reported as 0.
   *
   * @throws CronSyntaxException naming the field, the offending part and the accepted range
   */
  public List<Integer> parse(String spec) {
    if (spec.isEmpty()) {
      throw error(spec, "is empty (accepted: " + range() + ")");
    }
    TreeSet<Integer> values = new TreeSet<>();
    for (String part : spec.split(",", -1)) {
      parsePart(spec, part, values);
    }
    if (this == DAY_OF_WEEK && values.remove(7)) {
      values.add(0);
    }
    return List.copyOf(values);
  }

  private void parsePart(String spec, String part, TreeSet<Integer> values) {
    if (part.isEmpty()) {
      throw error(spec, "has an empty list element");
    }
    String rangePart = part;
    int step = 1;
    boolean stepped = false;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      rangePart = part.substring(0, slash);
      String stepText = part.substring(slash + 1);
      if (!stepText.matches("[0-9]{1,4}")) {
        throw error(spec, "step '" + stepText + "' is not a whole number");
      }
      step = Integer.parseInt(stepText);
      if (step < 1) {
        throw error(spec, "step " + step + " is less than 1");
      }
      stepped = true;
    }
    int start;
    int end;
    if (rangePart.equals("*")) {
      start = min;
      end = max;
    } else if (rangePart.contains("-")) {
      String[] bounds = rangePart.split("-", -1);
      if (bounds.length != 2) {
        throw error(spec, "range '" + rangePart + "' has more than one '-'");
      }
      start = value(spec, bounds[0]);
      end = value(spec, bounds[1]);
      if (start > end) {
        throw error(spec, "range '" + rangePart + "' starts after it ends");
      }
    } else {
      start = value(spec, rangePart);
      // "5/15" means from 5 to the end of the range in steps of 15 (Temporal's reading).
      end = stepped ? max : start;
    }
    for (int v = start; v <= end; v += step) {
      values.add(v);
    }
  }

  private int value(String spec, String text) {
    if (text.matches("[0-9]{1,4}")) {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw error(spec, value + " is out of range " + min + "-" + max);
      }
      return value;
    }
    int index = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (index >= 0) {
      return this == MONTH ? index + 1 : index;
    }
    if (text.equals("?") || text.equals("L") || text.endsWith("W") || text.contains("#")) {
      throw error(spec, "'" + text + "' is a Quartz extension that Temporal does not support");
    }
    throw error(
        spec,
        "'"
            + text
            + "' is not "
            + (names.isEmpty() ? "a number" : "a number or a name")
            + " (accepted: "
            + range()
            + ")");
  }

  private CronSyntaxException error(String spec, String problem) {
    return new CronSyntaxException(label + " field '" + spec + "': " + problem);
  }
}
