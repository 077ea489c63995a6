package io.bptemporal.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A short host command whose output is the point (ip, iptables, ctr, crictl, openssl, kubectl): run
 * to completion with a timeout, output captured. Long-running components go through the dev stack's
 * {@code ManagedProcess} instead.
 */
record HostCommand(List<String> command, Map<String, String> env, Duration timeout) {

  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static HostCommand of(String... command) {
    return new HostCommand(List.of(command), Map.of(), Duration.ofMinutes(2));
  }

  static HostCommand of(List<String> command) {
    return new HostCommand(List.copyOf(command), Map.of(), Duration.ofMinutes(2));
  }

  HostCommand withTimeout(Duration limit) {
    return new HostCommand(command, env, limit);
  }

  HostCommand withEnv(Map<String, String> extra) {
    return new HostCommand(command, extra, timeout);
  }

  /** Runs and returns exit code and output (stdout and stderr together), whatever the exit code. */
  Result run() {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      // Read beside the wait, so a command that prints more than a pipe holds cannot block itself.
      var future =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                  return new byte[0];
                }
              });
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new LocalClusterException(
            String.join(" ", command) + " did not finish within " + timeout);
      }
      byte[] out = future.get(10, TimeUnit.SECONDS);
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new LocalClusterException(
          "cannot run " + command.getFirst() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClusterException("interrupted while running " + String.join(" ", command), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new LocalClusterException(
          "cannot read the output of " + String.join(" ", command) + ": " + e, e);
    }
  }

  /** Runs and returns the output; fails with the output when the exit code is not 0. */
  String check() {
    Result result = run();
    if (!result.ok()) {
      throw new LocalClusterException(
          String.join(" ", command)
              + " failed with exit code "
              + result.exitCode()
              + (result.output().isEmpty()
                  ? ""
                  : ":\n  | " + result.output().replace("\n", "\n  | ")));
    }
    return result.output();
  }
}
