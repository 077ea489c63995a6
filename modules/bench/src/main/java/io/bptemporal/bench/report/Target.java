package io.bptemporal.bench.report;

import java.util.Locale;

/**
 * One measured value of a benchmark next to its limit from issue 18, as a ratio: the one row shape
 * of the summary that {@code make bench} prints after all benchmarks ({@link Summary}). A value
 * without a limit ({@link Bound#NONE}) is reported, not judged: e.g. the RSS after 1,000 sagas,
 * which the issue asks for but sets no target on.
 *
 * @param benchmark which benchmark measured it (its JSON file's name)
 * @param measure what was measured, in words
 * @param value the measured value, in {@code unit}
 * @param unit "x" for a ratio of two contenders, else a unit such as "s" or "MiB"
 * @param bound whether the value must be at least or at most the limit
 * @param limit the target (issue 18; never lowered to make a row pass)
 * @param note how it was measured or what it includes; may be empty
 */
public record Target(
    String benchmark,
    String measure,
    double value,
    String unit,
    Bound bound,
    double limit,
    String note) {

  /** How the value is judged against the limit. */
  public enum Bound {
    AT_LEAST(">="),
    AT_MOST("<="),
    NONE("");

    final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }
  }

  public static Target atLeast(
      String benchmark, String measure, double value, String unit, double limit, String note) {
    return new Target(benchmark, measure, value, unit, Bound.AT_LEAST, limit, note);
  }

  public static Target atMost(
      String benchmark, String measure, double value, String unit, double limit, String note) {
    return new Target(benchmark, measure, value, unit, Bound.AT_MOST, limit, note);
  }

  public static Target reported(
      String benchmark, String measure, double value, String unit, String note) {
    return new Target(benchmark, measure, value, unit, Bound.NONE, Double.NaN, note);
  }

  /** value / limit; NaN without a limit or with a limit of zero (e.g. "0 writes"). */
  public double ratioToLimit() {
    return bound == Bound.NONE || limit == 0 ? Double.NaN : value / limit;
  }

  public boolean judged() {
    return bound != Bound.NONE;
  }

  public boolean met() {
    return switch (bound) {
      case AT_LEAST -> value >= limit;
      case AT_MOST -> value <= limit;
      case NONE -> true;
    };
  }

  /** "PASS", "MISS" or "-" (no target). */
  public String result() {
    return !judged() ? "-" : met() ? "PASS" : "MISS";
  }

  public String valueText() {
    return format(value) + ("x".equals(unit) ? "x" : " " + unit);
  }

  public String targetText() {
    return !judged()
        ? "-"
        : bound.symbol + " " + format(limit) + ("x".equals(unit) ? "x" : " " + unit);
  }

  private static String format(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
  }
}
