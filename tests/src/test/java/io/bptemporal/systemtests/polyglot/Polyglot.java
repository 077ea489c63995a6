package io.bptemporal.systemtests.polyglot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Builds and runs one of the polyglot clients of {@code tests/polyglot}: the TypeScript one with
 * {@code npm ci} (cache {@code ~/.cache/bp-temporal/npm}) and {@code tsc}, the Go one with {@code
 * go build} (the module and build caches of the Go installation). Build times are printed: they are
 * what this test adds to {@code make test}, cold (empty caches) or warm.
 */
final class Polyglot {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BUILD_WITHIN = Duration.ofMinutes(10);

  private final String sdk;
  private final Path dir;

  /** Build steps, each with a check that says it can be skipped (its output is up to date). */
  private final List<Step> build;

  private final List<String> command;
  private final Path logs;

  /** One build step; {@code upToDate} answers whether its last result still holds. */
  record Step(List<String> command, UpToDate upToDate, Runnable afterSuccess) {}

  @FunctionalInterface
  interface UpToDate {
    boolean check() throws IOException;
  }

  private Polyglot(String sdk, Path dir, List<Step> build, List<String> command, Path logs) {
    this.sdk = sdk;
    this.dir = dir;
    this.build = build;
    this.command = command;
    this.logs = logs;
  }

  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("tests/polyglot/cases.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no tests/polyglot/cases.json at or above " + Path.of("").toAbsolutePath());
  }

  static Polyglot typeScript(Path logs) {
    Path dir = root().resolve("tests/polyglot/ts");
    String cache =
        Path.of(System.getProperty("user.home"), ".cache", "bp-temporal", "npm").toString();
    // npm ci again only when the lockfile changed since the last one (a stamp in node_modules says
    // which it was);
    // tsc only when a source is newer than its output. A fresh clone does both.
    Path lock = dir.resolve("package-lock.json");
    Path stamp = dir.resolve("node_modules/.bp-installed-lock");
    Path output = dir.resolve("dist/contract-tests.js");
    Step install =
        new Step(
            List.of(
                "npm",
                "ci",
                "--cache",
                cache,
                "--prefer-offline",
                "--no-audit",
                "--no-fund",
                "--loglevel=error"),
            () ->
                Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(Files.readString(lock)),
            () -> copy(lock, stamp));
    Step compile =
        new Step(
            List.of("node", "node_modules/typescript/bin/tsc", "-p", "."),
            () ->
                Files.isRegularFile(output)
                    && newestUnder(dir.resolve("src"), dir.resolve("tsconfig.json"))
                        < Files.getLastModifiedTime(output).toMillis(),
            () -> {});
    return new Polyglot(
        "typescript",
        dir,
        List.of(install, compile),
        List.of("node", "dist/contract-tests.js"),
        logs);
  }

  static Polyglot go(Path logs) {
    Path dir = root().resolve("tests/polyglot/go");
    Path binary = root().resolve("tests/target/polyglot/contract-tests-go");
    // go build is incremental by itself (its build cache).
    return new Polyglot(
        "go",
        dir,
        List.of(
            new Step(List.of("go", "build", "-o", binary.toString(), "."), () -> false, () -> {})),
        List.of(binary.toString()),
        logs);
  }

  /**
   * Builds the client, then runs it against the stack; its output goes to a log file and is parsed.
   */
  Result run(Map<String, String> env, Duration within) throws Exception {
    Path log = logs.resolve(sdk + ".log");
    Files.deleteIfExists(log);
    List<String> timings = new ArrayList<>();
    for (Step step : build) {
      String name = String.join(" ", step.command().subList(0, Math.min(2, step.command().size())));
      if (step.upToDate().check()) {
        timings.add(name + " up to date");
        continue;
      }
      long started = System.nanoTime();
      int exit = exec(step.command(), Map.of(), log, BUILD_WITHIN);
      timings.add(name + " " + String.format("%.1f s", (System.nanoTime() - started) / 1e9));
      if (exit != 0) {
        throw new IllegalStateException(
            sdk
                + " client: '"
                + String.join(" ", step.command())
                + "' exited "
                + exit
                + " in "
                + dir
                + "; output:\n"
                + Files.readString(log));
      }
      step.afterSuccess().run();
    }
    long started = System.nanoTime();
    int exit = exec(command, env, log, within);
    System.out.printf(
        "polyglot %s client: build %s; run %.1f s%n",
        sdk, String.join(", ", timings), (System.nanoTime() - started) / 1e9);
    return new Result(sdk, exit, log);
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long newestUnder(Path... paths) throws IOException {
    long newest = 0;
    for (Path path : paths) {
      try (var files = Files.walk(path)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          newest = Math.max(newest, Files.getLastModifiedTime(file).toMillis());
        }
      }
    }
    return newest;
  }

  private int exec(List<String> command, Map<String, String> env, Path log, Duration within)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          sdk
              + " client needs '"
              + command.getFirst()
              + "' on PATH (Node 20+ with npm,"
              + " Go 1.26+): "
              + e.getMessage(),
          e);
    }
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException(
          sdk
              + " client: '"
              + String.join(" ", command)
              + "' did not finish within "
              + within
              + "; see "
              + log);
    }
    return process.exitValue();
  }

  /** A client's run: exit status, its summary line and the checks it reported as failed. */
  record Result(String sdk, int exitCode, Path log) {
    JsonNode summary() throws IOException {
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("POLYGLOT-SUMMARY ")) {
          return JSON.readTree(line.substring("POLYGLOT-SUMMARY ".length()));
        }
      }
      throw new IllegalStateException(
          sdk + " client printed no POLYGLOT-SUMMARY line; output:\n" + Files.readString(log));
    }

    String failures() throws IOException {
      return Files.readAllLines(log).stream()
          .filter(l -> !l.startsWith("ok - "))
          .collect(Collectors.joining("\n"));
    }
  }
}
