package io.bptemporal.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the binaries {@code scripts/bootstrap} installed ({@code .tools/bin}), the Kafka broker's
 * jars it fetched ({@code .tools/kafka/<version>/libs}) and the PostgreSQL server binaries of the
 * machine. Every miss names what is missing, where it looked and the command that fixes it.
 */
public final class ToolLocator {
  static final String BOOTSTRAP_HINT =
      "run scripts/bootstrap (or 'make bootstrap') from the repository root";

  private final Path toolsDir;
  private final Map<String, String> bootstrapEnv;

  private ToolLocator(Path toolsDir) {
    this.toolsDir = toolsDir;
    this.bootstrapEnv = readEnvFile(toolsDir.resolve("env"));
  }

  /**
   * The tools directory: system property {@code bp.tools.dir}, then {@code BP_TOOLS_DIR}, then the
   * first {@code .tools} found walking up from the working directory.
   */
  public static ToolLocator discover() {
    List<Path> looked = new ArrayList<>();
    Optional<Path> explicit =
        Optional.ofNullable(System.getProperty("bp.tools.dir"))
            .or(() -> Optional.ofNullable(System.getenv("BP_TOOLS_DIR")))
            .filter(s -> !s.isBlank())
            .map(Path::of);
    if (explicit.isPresent()) {
      return new ToolLocator(explicit.get().toAbsolutePath().normalize());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(".tools");
      looked.add(candidate);
      if (Files.isDirectory(candidate.resolve("bin"))) {
        return new ToolLocator(candidate);
      }
    }
    throw new DevStackException(
        "bp-temporal tools not found (looked for .tools/bin in "
            + looked
            + "; BP_TOOLS_DIR and -Dbp.tools.dir unset): "
            + BOOTSTRAP_HINT);
  }

  public static ToolLocator at(Path toolsDir) {
    return new ToolLocator(toolsDir);
  }

  public Path toolsDir() {
    return toolsDir;
  }

  /** True when every binary the local stack runs is installed. */
  public boolean hasLocalStackBinaries() {
    return Stream.of(Tool.values()).allMatch(t -> Files.isExecutable(path(t)))
        && postgresBinDir().isPresent()
        && kafkaLibs().isPresent();
  }

  public Path require(Tool tool) {
    Path path = path(tool);
    if (!Files.isExecutable(path)) {
      throw new DevStackException(
          tool.displayName + " not found at " + path + ": " + BOOTSTRAP_HINT);
    }
    return path;
  }

  private Path path(Tool tool) {
    return toolsDir.resolve("bin").resolve(tool.fileName);
  }

  /** Directory with {@code postgres} and {@code initdb}. */
  public Path requirePostgresBinDir() {
    return postgresBinDir()
        .orElseThrow(
            () ->
                new DevStackException(
                    "PostgreSQL server binaries (postgres, initdb) not found: looked in PG_BIN, "
                        + toolsDir.resolve("env")
                        + " and /usr/lib/postgresql/*/bin; install them (Debian: apt-get install postgresql) or set PG_BIN, then "
                        + BOOTSTRAP_HINT));
  }

  /**
   * Directory of the Kafka broker's jars ({@code kafka_2.13} and its dependencies, a logging
   * backend): {@code BP_KAFKA_LIBS} of the environment or of {@code .tools/env}, where
   * scripts/bootstrap records it.
   */
  public Path requireKafkaLibs() {
    return kafkaLibs()
        .orElseThrow(
            () ->
                new DevStackException(
                    "Kafka broker jars not found: looked in BP_KAFKA_LIBS ("
                        + Optional.ofNullable(System.getenv("BP_KAFKA_LIBS")).orElse("unset")
                        + ") and "
                        + toolsDir.resolve("env")
                        + " ("
                        + Optional.ofNullable(bootstrapEnv.get("BP_KAFKA_LIBS")).orElse("unset")
                        + "), for a directory holding kafka_2.13-*.jar; "
                        + BOOTSTRAP_HINT));
  }

  Optional<Path> kafkaLibs() {
    return Stream.of(System.getenv("BP_KAFKA_LIBS"), bootstrapEnv.get("BP_KAFKA_LIBS"))
        .filter(s -> s != null && !s.isBlank())
        .map(Path::of)
        .filter(ToolLocator::holdsKafkaBroker)
        .findFirst();
  }

  private static boolean holdsKafkaBroker(Path dir) {
    try (Stream<Path> jars = Files.list(dir)) {
      return jars.anyMatch(j -> j.getFileName().toString().startsWith("kafka_2.13-"));
    } catch (IOException notThere) {
      return false;
    }
  }

  Optional<Path> postgresBinDir() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("PG_BIN"))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .ifPresent(candidates::add);
    Optional.ofNullable(bootstrapEnv.get("PG_BIN")).map(Path::of).ifPresent(candidates::add);
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      versions
          .sorted(Comparator.comparing(ToolLocator::versionOf).reversed())
          .map(v -> v.resolve("bin"))
          .forEach(candidates::add);
    } catch (IOException notThere) {
      // No Debian-style installation; other candidates may still hold the binaries.
    }
    return candidates.stream()
        .filter(
            d ->
                Files.isExecutable(d.resolve("postgres"))
                    && Files.isExecutable(d.resolve("initdb")))
        .findFirst();
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads the {@code export KEY='value'} lines scripts/bootstrap writes. */
  private static Map<String, String> readEnvFile(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.isReadable(file)) {
      return values;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("export ") || !trimmed.contains("=")) {
          continue;
        }
        String assignment = trimmed.substring("export ".length());
        int eq = assignment.indexOf('=');
        String value = assignment.substring(eq + 1);
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
          values.put(assignment.substring(0, eq), value.substring(1, value.length() - 1));
        }
      }
    } catch (IOException e) {
      throw new DevStackException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return values;
  }

  /** The binaries scripts/bootstrap links into .tools/bin. */
  public enum Tool {
    TEMPORAL_SERVER("temporal-server", "Temporal server"),
    TEMPORAL_SQL_TOOL("temporal-sql-tool", "Temporal SQL schema tool"),
    TEMPORAL_UI_SERVER("temporal-ui-server", "Temporal Web UI server");

    private final String fileName;
    private final String displayName;

    Tool(String fileName, String displayName) {
      this.fileName = fileName;
      this.displayName = displayName;
    }
  }
}
