package io.bptemporal.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A throwaway PostgreSQL server: {@code initdb} into the stack's directory, {@code postgres} in the
 * foreground as a child of this JVM (so its exit is seen at once), TCP on 127.0.0.1 only.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root. As root the binaries run as the
 * {@code postgres} account through {@code setpriv}, which execs in place: the child's pid is the
 * postmaster's, so signals reach it directly.
 */
final class PostgresInstance implements AutoCloseable {
  private final ManagedProcess process;
  private final PostgresEndpoint endpoint;

  private PostgresInstance(ManagedProcess process, PostgresEndpoint endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** {@code initdb} into a new data directory, then {@link #launch}. */
  static PostgresInstance start(DevStackConfig config, Consumer<ChildCrash> onCrash) {
    initialize(config);
    return launch(config, onCrash);
  }

  private static void initialize(DevStackConfig config) {
    Path binDir = config.tools().requirePostgresBinDir();
    Path home = config.workDir().resolve("postgres");
    Path data = home.resolve("data");
    Path logs = config.workDir().resolve("logs");
    List<String> asOwner = runAsOwnerPrefix();
    Path pwFile = home.resolve("superuser.pw");
    try {
      Files.createDirectories(home);
      Files.writeString(pwFile, config.postgresPassword() + "\n");
      chownIfRoot(home);
    } catch (IOException e) {
      throw new DevStackException("cannot prepare " + home + ": " + e, e);
    }
    List<String> initdb = new ArrayList<>(asOwner);
    initdb.addAll(
        List.of(
            binDir.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            "--pwfile=" + pwFile,
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync"));
    ManagedProcess.runToCompletion(
        "initdb", initdb, Map.of(), logs.resolve("initdb.log"), Duration.ofMinutes(2));
    try {
      Files.delete(pwFile);
    } catch (IOException e) {
      throw new DevStackException("cannot remove " + pwFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts the server on the data directory {@link #initialize} wrote (also again after a stop:
   * same data, same port) and waits until it accepts connections.
   */
  static PostgresInstance launch(DevStackConfig config, Consumer<ChildCrash> onCrash) {
    Path binDir = config.tools().requirePostgresBinDir();
    Path data = config.workDir().resolve("postgres").resolve("data");
    Path logs = config.workDir().resolve("logs");
    List<String> asOwner = runAsOwnerPrefix();
    int port = config.ports().postgres();
    List<String> postgres = new ArrayList<>(asOwner);
    postgres.addAll(
        List.of(
            binDir.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=127.0.0.1",
            // TCP only: a socket path under a deep work directory could exceed the 107-byte limit.
            "-c",
            "unix_socket_directories=",
            // Temporal (default + visibility pools) plus several test and worker pools.
            "-c",
            "max_connections=300",
            // Throwaway data: durability is traded for speed.
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off"));
    ManagedProcess child =
        ManagedProcess.start(
            "postgres",
            postgres,
            Map.of(),
            logs.resolve("postgres.log"),
            config.echoLogs(),
            onCrash);
    PostgresEndpoint endpoint =
        new PostgresEndpoint("127.0.0.1", port, "postgres", config.postgresPassword());
    child.awaitReady(
        "accepting connections on 127.0.0.1:" + port,
        Duration.ofSeconds(60),
        () -> {
          try (Connection c = endpoint.connect("postgres")) {
            return c.isValid(2);
          }
        });
    return new PostgresInstance(child, endpoint);
  }

  PostgresEndpoint endpoint() {
    return endpoint;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fast shutdown (SIGINT): open client sessions are disconnected instead of waited for. */
  @Override
  public void close() {
    process.stop("INT", Duration.ofSeconds(20));
  }

  private static List<String> runAsOwnerPrefix() {
    if (!isRoot()) {
      return List.of();
    }
    return List.of(
        "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", "--");
  }

  private static void chownIfRoot(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    try {
      Process p =
          new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new DevStackException(
            "running as root, the dev stack starts PostgreSQL as the 'postgres' account, "
                + "but 'chown postgres "
                + dir
                + "' failed: "
                + out.strip()
                + " (create the account, or run as a non-root user)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted", e);
    }
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }
}
