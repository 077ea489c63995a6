package io.bptemporal.systemtests.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, after the run, which chart render assertions ran, failed or were skipped, and why each
 * skip happened, and writes the same report to tests/target/chart-render-report.txt. Registered
 * through META-INF/services/org.junit.platform.launcher.TestExecutionListener; only tests of this
 * package are listed.
 */
public final class RenderSuiteReport implements TestExecutionListener {

  private static final String PACKAGE = RenderSuiteReport.class.getPackageName() + ".";

  private record Outcome(String test, String status, String detail) {}

  private final Map<String, List<Outcome>> byClass = new TreeMap<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    if (ours(test)) {
      record(test, "SKIPPED", reason);
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (!ours(test)
        || (!test.isTest()
            && !(result.getStatus() == TestExecutionResult.Status.ABORTED
                && test.getSource().filter(ClassSource.class::isInstance).isPresent()))) {
      return;
    }
    switch (result.getStatus()) {
      case SUCCESSFUL -> record(test, "RAN", "");
      case ABORTED ->
          record(
              test, "SKIPPED", result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
      case FAILED ->
          record(
              test,
              "FAILED",
              result
                  .getThrowable()
                  .map(t -> String.valueOf(t.getMessage()).lines().findFirst().orElse(""))
                  .orElse(""));
    }
  }

  private static boolean ours(TestIdentifier test) {
    return className(test).startsWith(PACKAGE);
  }

  private static String className(TestIdentifier test) {
    return test.getSource()
        .map(
            source ->
                source instanceof MethodSource m
                    ? m.getClassName()
                    : source instanceof ClassSource c ? c.getClassName() : "")
        .orElse("");
  }

  private void record(TestIdentifier test, String status, String detail) {
    String className = className(test).substring(PACKAGE.length());
    String name =
        test.getSource()
            .filter(MethodSource.class::isInstance)
            .map(MethodSource.class::cast)
            .map(
                m ->
                    test.getDisplayName().equals(m.getMethodName() + "()")
                        ? m.getMethodName()
                        : m.getMethodName() + " " + test.getDisplayName())
            .orElse("(whole class)");
    byClass
        .computeIfAbsent(className, k -> new ArrayList<>())
        .add(new Outcome(name, status, detail));
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    if (byClass.isEmpty()) {
      return;
    }
    StringBuilder out =
        new StringBuilder("\n==== Chart render suite: what ran, what was skipped and why ====\n");
    int ran = 0;
    int skipped = 0;
    int failed = 0;
    for (Map.Entry<String, List<Outcome>> entry : byClass.entrySet()) {
      out.append(entry.getKey()).append('\n');
      for (Outcome o : entry.getValue()) {
        out.append(
            String.format(
                "  %-7s %s%s%n",
                o.status(), o.test(), o.detail().isEmpty() ? "" : "  -- " + o.detail()));
        switch (o.status()) {
          case "RAN" -> ran++;
          case "SKIPPED" -> skipped++;
          default -> failed++;
        }
      }
    }
    ChartStaging.StagedChart staged = null;
    try {
      staged = ChartUnderTest.get().staged();
    } catch (RuntimeException e) {
      out.append("(chart was not staged: ").append(e.getMessage()).append(")\n");
    }
    if (staged != null) {
      out.append(
          staged.upstreamPresent()
              ? "Upstream temporal subchart: present ("
                  + staged.upstreamArchive().get()
                  + "), its objects were checked.\n"
              : "Upstream temporal subchart: ABSENT -- "
                  + staged.upstreamSkipReason()
                  + ". The umbrella's own templates were rendered in full; assertions on upstream objects are the SKIPPED ones above.\n");
    }
    out.append(String.format("Totals: %d ran, %d skipped, %d failed%n", ran, skipped, failed));
    System.out.print(out);
    try {
      Path target = ChartUnderTest.get().repoRoot().resolve("tests").resolve("target");
      Files.createDirectories(target);
      Files.writeString(target.resolve("chart-render-report.txt"), out.toString());
    } catch (IOException | RuntimeException e) {
      System.out.println(
          "(could not write tests/target/chart-render-report.txt: " + e.getMessage() + ")");
    }
  }
}
