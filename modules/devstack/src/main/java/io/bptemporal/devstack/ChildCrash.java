package io.bptemporal.devstack;

import java.nio.file.Path;
import java.util.List;

/** A child process of the stack that exited while it was supposed to run. */
public record ChildCrash(
    String component, long pid, int exitCode, List<String> lastLines, Path logFile) {

  /** What the developer sees: who died, how, and the child's own last words. */
  public String report() {
    StringBuilder sb =
        new StringBuilder()
            .append(component)
            .append(" (pid ")
            .append(pid)
            .append(") exited unexpectedly with code ")
            .append(exitCode)
            .append(exitCode > 128 ? " (killed by signal " + (exitCode - 128) + ")" : "")
            .append(". Last log lines (full log: ")
            .append(logFile)
            .append("):");
    if (lastLines.isEmpty()) {
      sb.append("\n  | (no output)");
    }
    lastLines.forEach(line -> sb.append("\n  | ").append(line));
    return sb.toString();
  }
}
