package io.bptemporal.systemtests.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pinned helm that scripts/bootstrap installs into {@code .tools/bin}. The suite always runs
 * this binary, never one from PATH, so CI and laptops render with the same helm version.
 */
final class HelmBinary {

  /** Result of one helm invocation. */
  record Run(List<String> command, int exitCode, String stdout, String stderr) {
    boolean succeeded() {
      return exitCode == 0;
    }

    String describe() {
      return String.join(" ", command)
          + "\nexit "
          + exitCode
          + "\n--- stderr\n"
          + stderr
          + "\n--- stdout (first 2000 chars)\n"
          + stdout.substring(0, Math.min(2000, stdout.length()));
    }
  }

  private final Path executable;
  private final Path home;

  private HelmBinary(Path executable, Path home) {
    this.executable = executable;
    this.home = home;
  }

  /** The helm under {@code ${bp.tools.dir}/bin} (set by surefire from the parent POM). */
  static HelmBinary fromToolsDir() {
    String toolsDir =
        System.getProperty("bp.tools.dir", System.getenv().getOrDefault("BP_TOOLS_DIR", ""));
    if (toolsDir.isBlank()) {
      throw new IllegalStateException(
          "System property bp.tools.dir is not set: run the suite through Maven (./mvnw -pl tests verify) after scripts/bootstrap.");
    }
    Path helm = Path.of(toolsDir, "bin", "helm");
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException(
          "helm not found at "
              + helm
              + ": run scripts/bootstrap (it installs helm 3.21.4 into .tools/bin).");
    }
    try {
      // Own config/cache/data homes: repositories or plugins a developer added must not change what
      // renders.
      Path home = Files.createTempDirectory("bp-helm-home");
      return new HelmBinary(helm, home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path executable() {
    return executable;
  }

  Run run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm did not finish within 120 s: " + command);
      }
      return new Run(List.copyOf(command), process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + command, e);
    }
  }

  private static String readAll(java.io.InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
