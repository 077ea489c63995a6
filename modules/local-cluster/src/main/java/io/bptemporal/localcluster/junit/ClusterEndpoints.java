package io.bptemporal.localcluster.junit;

import io.bptemporal.localcluster.LocalClusterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a test needs to use the local cluster: its admin kubeconfig, the pinned kubectl, helm and
 * crictl binaries (with the flags that point them at this cluster), and the node.
 */
public record ClusterEndpoints(
    Path kubeconfig,
    Path kubectl,
    Path helm,
    Path crictl,
    Path crictlConfig,
    String nodeName,
    String nodeIp,
    Path imageIndex) {

  /** {@code kubectl --kubeconfig <this cluster> args...}. */
  public List<String> kubectlCommand(String... args) {
    return prefixed(List.of(kubectl.toString(), "--kubeconfig=" + kubeconfig), args);
  }

  /** {@code helm --kubeconfig <this cluster> args...}. */
  public List<String> helmCommand(String... args) {
    return prefixed(List.of(helm.toString(), "--kubeconfig", kubeconfig.toString()), args);
  }

  /** {@code crictl --config <this node's containerd> args...}. */
  public List<String> crictlCommand(String... args) {
    return prefixed(List.of(crictl.toString(), "--config", crictlConfig.toString()), args);
  }

  /**
   * Runs a short command to completion (at most 20 minutes); returns its output, or fails with it.
   */
  public String run(List<String> command) {
    return run(command, java.util.Map.of());
  }

  /** {@link #run(List)} with extra environment variables (e.g. helm's config and cache homes). */
  public String run(List<String> command, java.util.Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      CompletableFuture<String> output =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(
                      process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      if (!process.waitFor(20, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new LocalClusterException(
            String.join(" ", command) + " did not end within 20 minutes");
      }
      String out = output.join();
      if (process.exitValue() != 0) {
        throw new LocalClusterException(
            String.join(" ", command) + " exited " + process.exitValue() + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new LocalClusterException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClusterException("interrupted while running " + command, e);
    }
  }

  private static List<String> prefixed(List<String> head, String... args) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(args));
    return List.copyOf(all);
  }
}
