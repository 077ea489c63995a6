package io.bptemporal.systemtests.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bootstrap on a machine that lacks everything: one line per missing prerequisite, naming
 * what is missing, where it looked and what to do — and a non-zero exit. Runs a copy of the script
 * in a temporary checkout with a PATH that holds only basic commands, so the real .tools is
 * untouched.
 */
class BootstrapPrerequisitesTest {
  private static final List<String> BASIC_COMMANDS =
      List.of(
          "bash",
          "dirname",
          "sed",
          "head",
          "ls",
          "sort",
          "id",
          "ln",
          "mkdir",
          "mv",
          "rm",
          "tail",
          "cat",
          "sha256sum",
          "cut");

  @TempDir Path temp;

  @Test
  void eachMissingPrerequisiteGetsOneActionableLine() throws Exception {
    Path repo = temp.resolve("checkout");
    Files.createDirectories(repo.resolve("scripts"));
    Path scripts = repositoryRoot().resolve("scripts");
    Files.copy(scripts.resolve("bootstrap"), repo.resolve("scripts/bootstrap"));
    Files.copy(scripts.resolve("tools.versions"), repo.resolve("scripts/tools.versions"));
    Files.createDirectories(repo.resolve("scripts/kafka"));
    Files.copy(scripts.resolve("kafka/pom.xml"), repo.resolve("scripts/kafka/pom.xml"));
    Path bin = Files.createDirectories(temp.resolve("bin"));
    for (String command : BASIC_COMMANDS) {
      Files.copy(
          which(command), bin.resolve(command), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    ProcessBuilder builder =
        new ProcessBuilder("bash", repo.resolve("scripts/bootstrap").toString())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", bin.toString());
    builder.environment().put("HOME", temp.toString());
    builder.environment().put("BP_TOOLS_CACHE", temp.resolve("cache").toString());
    builder.environment().put("BP_JDK_SEARCH", temp.resolve("no-jdks/*").toString());
    builder.environment().put("BP_PG_SEARCH", temp.resolve("no-postgres/*/bin").toString());
    Process process = builder.start();
    List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
    int exit = process.waitFor();

    assertThat(exit).as("exit status; output:%n%s", String.join("\n", lines)).isEqualTo(1);
    List<String> missing = lines.stream().filter(l -> l.startsWith("bootstrap: MISSING ")).toList();
    assertThat(missing).hasSize(3);
    assertThat(missing.get(0))
        .contains("JDK >= 21")
        .contains("JAVA_HOME (unset)")
        .contains("no-jdks")
        .contains("install a JDK 21+");
    assertThat(missing.get(1))
        .contains("PostgreSQL >= 12 server binaries")
        .contains("PG_BIN (unset)")
        .contains("no-postgres")
        .contains("apt-get install postgresql");
    assertThat(missing.get(2))
        .contains("go (to build temporal-server v1.31.2 temporal-sql-tool v1.31.2")
        .contains("not on PATH (" + bin + ")")
        .contains("install Go");
    assertThat(lines)
        .contains("bootstrap: 3 prerequisite(s) missing (see the MISSING lines above)");
    assertThat(repo.resolve(".tools/env"))
        .as("no environment file when something is missing")
        .doesNotExist();
  }

  private static Path which(String command) {
    return Stream.of("/usr/bin", "/bin", "/usr/local/bin")
        .map(d -> Path.of(d, command))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    command + " not found in /usr/bin, /bin, /usr/local/bin"));
  }

  /**
   * The checkout this test runs in: the directory holding scripts/bootstrap above the working
   * directory.
   */
  static Path repositoryRoot() throws IOException {
    Optional<Path> root =
        Stream.iterate(Path.of("").toAbsolutePath(), p -> p != null, Path::getParent)
            .filter(p -> Files.isRegularFile(p.resolve("scripts/bootstrap")))
            .findFirst();
    return root.orElseThrow(
        () -> new IOException("no scripts/bootstrap above " + Path.of("").toAbsolutePath()));
  }
}
