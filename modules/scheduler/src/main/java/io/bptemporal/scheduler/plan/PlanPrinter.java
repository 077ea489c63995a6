package io.bptemporal.scheduler.plan;

import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.registry.routes.RouteProblem;
import io.bptemporal.registry.routes.RouteTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a plan the way {@code scheduler plan} shows it: one line per change, {@code +} create,
 * {@code ~} update (with the changed fields below it), {@code -} delete, {@code !} a row that
 * cannot be applied (invalid, or an error this pass); then a summary line. Unchanged schedules are
 * only counted. The registry's event routes follow: one {@code !} line per problem of a broken
 * route ({@code ! route 'r1': $.filters[2].path: ...}) and a summary line.
 */
public final class PlanPrinter {
  private PlanPrinter() {}

  public static void print(Plan plan, PrintStream out) {
    for (String line : lines(plan)) {
      out.println(line);
    }
  }

  public static List<String> lines(Plan plan) {
    List<String> lines = new ArrayList<>();
    for (Step step : plan.steps()) {
      switch (step) {
        case Step.Create create ->
            lines.add("+ " + create.key() + "  " + describe(create.desired()));
        case Step.Update update -> {
          lines.add("~ " + update.key());
          update.changes().forEach(change -> lines.add("    " + change));
        }
        case Step.Pause pause -> lines.add("~ " + pause.key() + "  paused: false -> true");
        case Step.Unpause unpause -> lines.add("~ " + unpause.key() + "  paused: true -> false");
        case Step.Delete delete -> lines.add("- " + delete.key() + "  (" + delete.reason() + ")");
        case Step.Reject reject ->
            lines.add("! " + reject.key() + "  invalid: " + reject.message());
        case Step.Fail fail -> lines.add("! " + fail.key() + "  error: " + fail.message());
        case Step.Keep keep -> {}
        case Step.NoSchedule none -> {}
        case Step.Verify verify ->
            throw new IllegalStateException("undecided step " + verify.key());
      }
    }
    lines.add(summary(plan));
    return lines;
  }

  /** Prints the event routes' lines ({@link #routeLines}). */
  public static void printRoutes(RouteTable routes, PrintStream out) {
    for (String line : routeLines(routes)) {
      out.println(line);
    }
  }

  /**
   * One {@code !} line per problem of a broken route, then {@code Routes: 3 active, 1 inactive, 1
   * broken.} (inactive: the route or its activity is disabled). The event router skips broken
   * routes; this is where an operator sees them before an event does.
   */
  public static List<String> routeLines(RouteTable routes) {
    List<String> lines = new ArrayList<>();
    for (RouteProblem problem : routes.broken()) {
      lines.add("! " + problem);
    }
    int active = routes.active().size();
    lines.add(
        "Routes: "
            + active
            + " active, "
            + (routes.routes().size() - active)
            + " inactive, "
            + routes.brokenRoutes()
            + " broken.");
    return lines;
  }

  public static String summary(Plan plan) {
    return "Plan: "
        + plan.count(Step.Create.class)
        + " to create, "
        + plan.count(Step.Update.class)
        + " to update, "
        + plan.count(Step.Pause.class)
        + " to pause, "
        + plan.count(Step.Unpause.class)
        + " to unpause, "
        + plan.count(Step.Delete.class)
        + " to delete; "
        + plan.count(Step.Reject.class)
        + " invalid, "
        + plan.count(Step.Fail.class)
        + " failed; "
        + plan.count(Step.Keep.class)
        + " unchanged, "
        + plan.count(Step.NoSchedule.class)
        + " without schedule.";
  }

  private static String describe(DesiredSchedule d) {
    List<String> when = new ArrayList<>();
    if (!d.trigger().cron().isEmpty()) {
      when.add("cron " + d.trigger().cron());
    }
    d.trigger()
        .intervals()
        .forEach(
            i ->
                when.add(
                    "every "
                        + DurationText.format(i.every())
                        + (i.offset().isZero() ? "" : " +" + DurationText.format(i.offset()))));
    if (!d.trigger().calendars().isEmpty()) {
      when.add(d.trigger().calendars().size() + " calendar(s)");
    }
    return d.workflowType()
        + " on "
        + d.taskQueue()
        + "; "
        + String.join(", ", when)
        + " "
        + d.trigger().timeZone()
        + "; overlap "
        + d.temporal().overlap()
        + ", missed runs "
        + d.policies().missedRun()
        + " (catch-up window "
        + DurationText.format(d.temporal().catchupWindow())
        + ")"
        + (d.paused() ? "; paused" : "");
  }
}
