package io.bptemporal.systemtests.blueprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's evidence table (step, seconds to converged, sagas completed/failed, restarts),
 * printed at the end and kept as Markdown in {@code target/e2e/report.md}; docs/chart.md carries
 * the latest one.
 */
final class E2eReport {
  private record Row(String step, long seconds, String sagas, String restarts) {}

  private final List<Row> rows = new ArrayList<>();

  /** {@code seconds} below 0: the step has no convergence of its own. */
  synchronized void row(String step, long seconds, String sagas, String restarts) {
    rows.add(new Row(step, seconds, sagas, restarts));
  }

  synchronized void print(Path file) throws IOException {
    StringBuilder table =
        new StringBuilder(
            "| step | converged after (s) | sagas ok/failed | pod restarts |\n|---|---|---|---|\n");
    for (Row row : rows) {
      table
          .append("| ")
          .append(row.step())
          .append(" | ")
          .append(row.seconds() < 0 ? "-" : Long.toString(row.seconds()))
          .append(" | ")
          .append(row.sagas())
          .append(" | ")
          .append(row.restarts())
          .append(" |\n");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, table);
    System.out.println("e2e: blueprint on the local cluster (" + file + "):\n" + table);
  }
}
