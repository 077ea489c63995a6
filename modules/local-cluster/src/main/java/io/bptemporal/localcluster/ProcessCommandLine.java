package io.bptemporal.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The whole command line of a process, from {@code /proc/<pid>/cmdline}. {@code ProcessHandle.Info}
 * cuts it at a page on Linux, which loses the end of a JVM's command line behind a long class path
 * - exactly where the supervisor's arguments are.
 */
final class ProcessCommandLine {
  private ProcessCommandLine() {}

  static Optional<String> of(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      if (raw.length == 0) {
        return Optional.empty();
      }
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          raw[i] = ' ';
        }
      }
      return Optional.of(new String(raw, StandardCharsets.UTF_8).strip());
    } catch (IOException gone) {
      return Optional.empty();
    }
  }
}
