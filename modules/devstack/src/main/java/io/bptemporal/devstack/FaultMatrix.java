package io.bptemporal.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fault suite's matrix ({@code make faults}, docs/reliability.md): every scenario ends with one
 * {@code faults:} line, printed and appended to {@value #FILE_PROPERTY} ({@code make faults} points
 * it at the root's {@code target/faults/matrix.txt} and prints the file at the end), else to {@code
 * target/faults/matrix.txt} of the module that ran it.
 */
public final class FaultMatrix {
  public static final String FILE_PROPERTY = "bp.faults.matrix";

  private FaultMatrix() {}

  /**
   * One scenario's line.
   *
   * @param injected faults by kind, in the order given (e.g. worker kills, temporal restarts)
   * @param lost workflows that did not end as expected (stuck, no result, or a wrong outcome)
   * @param duplicated workflows with an effect that happened twice
   * @param recoverySeconds the longest time from a fault to the next workflow that closed
   * @param seconds the scenario's whole run time
   */
  public static String line(
      String scenario,
      Map<String, Integer> injected,
      int workflows,
      long lost,
      long duplicated,
      double recoverySeconds,
      double seconds) {
    int total = injected.values().stream().mapToInt(Integer::intValue).sum();
    String kinds =
        injected.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "faults: scenario=%s injected=%d (%s) workflows=%d lost=%d duplicated=%d"
            + " recovery_seconds=%.1f seconds=%.0f",
        scenario,
        total,
        kinds,
        workflows,
        lost,
        duplicated,
        recoverySeconds,
        seconds);
  }

  /** Prints {@code line} and appends it to the matrix file; the file's path. */
  public static Path record(String line) {
    Path file = Path.of(System.getProperty(FILE_PROPERTY, "target/faults/matrix.txt"));
    System.out.println(line);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
