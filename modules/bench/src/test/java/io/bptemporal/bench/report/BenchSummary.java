package io.bptemporal.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Collects the {@link Target}s of every benchmark class of this JVM and, when JUnit closes its root
 * context (after the last class, whichever ran), prints the {@link Summary} table and writes
 * target/bench/summary.json. A root-store resource rather than a benchmark of its own: it needs no
 * ordering of the classes and also closes a run of one benchmark ({@code -Dit.test=…}).
 */
public final class BenchSummary implements BeforeAllCallback {
  private static final List<Target> TARGETS = new ArrayList<>();

  /** Adds a benchmark's rows to the summary of this run. */
  public static synchronized void record(List<Target> targets) {
    TARGETS.addAll(targets);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(BenchSummary.class))
        .getOrComputeIfAbsent("summary", key -> new Printer(), Printer.class);
  }

  // JUnit (5.13+) closes a stored AutoCloseable with its store; CloseableResource is deprecated.
  private static final class Printer implements AutoCloseable {
    @Override
    public void close() throws Exception {
      List<Target> targets;
      synchronized (BenchSummary.class) {
        targets = List.copyOf(TARGETS);
      }
      if (targets.isEmpty()) {
        System.out.println("BENCH SUMMARY: no benchmark finished with results in this run");
        return;
      }
      String machine = Summary.machine();
      System.out.print(Summary.table(targets, machine));
      Path out = Path.of(System.getProperty("bp.bench.output.dir", "target/bench"));
      System.out.println("  wrote " + Summary.write(out, targets, machine).toAbsolutePath());
    }
  }
}
