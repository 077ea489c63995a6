package io.bptemporal.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a benchmarked process costs, counted over the process and its descendants: a worker may be a
 * launcher whose child is the JVM (setsid), and the cost is the child's.
 */
public final class ProcessTree {
  private ProcessTree() {}

  /** CPU time (user + system) so far, in nanoseconds; -1 when the process is gone. */
  public static long cpuNanos(long pid) {
    Optional<ProcessHandle> root = ProcessHandle.of(pid);
    if (root.isEmpty()) {
      return -1;
    }
    return members(root.get())
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  /** Resident set size (VmRSS) now, in KiB; 0 when the process is gone. */
  public static long rssKib(long pid) {
    return ProcessHandle.of(pid).stream()
        .flatMap(ProcessTree::members)
        .mapToLong(p -> vmRssKib(p.pid()))
        .sum();
  }

  private static Stream<ProcessHandle> members(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants());
  }

  private static long vmRssKib(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(0);
    } catch (IOException gone) {
      return 0;
    }
  }
}
