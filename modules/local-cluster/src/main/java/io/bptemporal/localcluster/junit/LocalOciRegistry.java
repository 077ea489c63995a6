package io.bptemporal.localcluster.junit;

import io.bptemporal.localcluster.ClusterLayout;
import io.bptemporal.localcluster.LocalClusterException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry (the CNCF distribution {@code registry}, built from its Go module by {@code
 * scripts/bootstrap cluster}) on a free loopback port, storing under {@code workDir}: where the e2e
 * suite pushes the packaged blueprint and {@code helm install oci://…} pulls it, as users do with
 * their registry. Plain HTTP on loopback only (helm's {@code --plain-http}); stopped (by its own
 * pid) on {@link #close()}.
 */
public final class LocalOciRegistry implements AutoCloseable {
  private final Process process;
  private final String host;
  private final Path log;

  private LocalOciRegistry(Process process, String host, Path log) {
    this.process = process;
    this.host = host;
    this.log = log;
  }

  public static LocalOciRegistry start(Path workDir) {
    try {
      Files.createDirectories(workDir);
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      String host = "127.0.0.1:" + port;
      Path config = workDir.resolve("config.yml");
      Files.writeString(
          config,
          """
          version: 0.1
          log: {level: warn}
          storage:
            filesystem: {rootdirectory: %s}
          http:
            addr: %s
          """
              .formatted(workDir.resolve("data").toAbsolutePath(), host));
      Path log = workDir.resolve("registry.log");
      Process process =
          new ProcessBuilder(
                  ClusterLayout.discover().tool("registry").toString(), "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LocalOciRegistry registry = new LocalOciRegistry(process, host, log);
      registry.awaitServing(Duration.ofSeconds(60));
      return registry;
    } catch (IOException e) {
      throw new LocalClusterException("cannot start the OCI registry: " + e.getMessage(), e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String host() {
    return host;
  }

  private void awaitServing(Duration limit) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new LocalClusterException(
            "the OCI registry exited " + process.exitValue() + "; log:\n" + readLog());
      }
      try {
        int status =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalClusterException("interrupted while waiting for the OCI registry", e);
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalClusterException("interrupted while waiting for the OCI registry", e);
      }
    }
    close();
    throw new LocalClusterException(
        "the OCI registry did not answer /v2/ on "
            + host
            + " within "
            + limit
            + "; log:\n"
            + readLog());
  }

  private String readLog() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
