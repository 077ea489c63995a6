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
 * Builds and runs one of the polyglot clients of {@code tests/polyglot}: the TypeScript one with {@code npm ci}
 * (cache {@code ~/.cache/bp-temporal/npm}) and {@code tsc}, the Go one with {@code go build} (the module and
 * build caches of the Go installation). Build times are printed: they are what this test adds to
 * {@code make test}, cold (empty caches) or warm.
 */
final class Polyglot {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BUILD_WITHIN = Duration.ofMinutes(10);

  private final String sdk;
  private final Path dir;
  private final List<List<String>> build;
  private final List<String> command;
  private final Path logs;

  private Polyglot(String sdk, Path dir, List<List<String>> build, List<String> command, Path logs) {
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
    throw new IllegalStateException("no tests/polyglot/cases.json at or above " + Path.of("").toAbsolutePath());
  }

  static Polyglot typeScript(Path logs) {
    Path dir = root().resolve("tests/polyglot/ts");
    String cache = Path.of(System.getProperty("user.home"), ".cache", "bp-temporal", "npm").toString();
    return new Polyglot("typescript", dir, List.of(
        List.of("npm", "ci", "--cache", cache, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"),
        List.of("node", "node_modules/typescript/bin/tsc", "-p", ".")),
        List.of("node", "dist/contract-tests.js"), logs);
  }

  static Polyglot go(Path logs) {
    Path dir = root().resolve("tests/polyglot/go");
    Path binary = root().resolve("tests/target/polyglot/contract-tests-go");
    return new Polyglot("go", dir, List.of(List.of("go", "build", "-o", binary.toString(), ".")),
        List.of(binary.toString()), logs);
  }

  /** Builds the client, then runs it against the stack; its output goes to a log file and is parsed. */
  Result run(Map<String, String> env, Duration within) throws Exception {
    Path log = logs.resolve(sdk + ".log");
    Files.deleteIfExists(log);
    List<String> timings = new ArrayList<>();
    for (List<String> step : build) {
      long started = System.nanoTime();
      int exit = exec(step, Map.of(), log, BUILD_WITHIN);
      timings.add(String.join(" ", step.subList(0, Math.min(2, step.size()))) + " "
          + String.format("%.1f s", (System.nanoTime() - started) / 1e9));
      if (exit != 0) {
        throw new IllegalStateException(sdk + " client: '" + String.join(" ", step) + "' exited " + exit + " in " + dir
            + "; output:\n" + Files.readString(log));
      }
    }
    long started = System.nanoTime();
    int exit = exec(command, env, log, within);
    System.out.printf("polyglot %s client: build %s; run %.1f s%n", sdk, String.join(", ", timings),
        (System.nanoTime() - started) / 1e9);
    return new Result(sdk, exit, log);
  }

  private int exec(List<String> command, Map<String, String> env, Path log, Duration within) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(sdk + " client needs '" + command.getFirst() + "' on PATH (Node 20+ with npm,"
          + " Go 1.26+): " + e.getMessage(), e);
    }
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException(sdk + " client: '" + String.join(" ", command) + "' did not finish within "
          + within + "; see " + log);
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
      throw new IllegalStateException(sdk + " client printed no POLYGLOT-SUMMARY line; output:\n" + Files.readString(log));
    }

    String failures() throws IOException {
      return Files.readAllLines(log).stream().filter(l -> !l.startsWith("ok - ")).collect(Collectors.joining("\n"));
    }
  }
}
