package io.bptemporal.systemtests.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs GNU tar, which reads plain and gzip layers alike and restores owners and modes exactly when
 * run as root: what a container engine does when it unpacks an image.
 */
final class Tar {
  private Tar() {}

  /**
   * Runs {@code command}; returns its standard output, or fails with its output naming {@code
   * what}.
   */
  static String run(List<String> command, String what) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException(what + ": tar did not finish within 5 minutes");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          what
              + ": "
              + String.join(" ", command)
              + " exited "
              + process.exitValue()
              + ":\n"
              + text);
    }
    return text;
  }
}
