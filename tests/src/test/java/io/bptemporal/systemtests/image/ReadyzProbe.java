package io.bptemporal.systemtests.image;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The smallest process that keeps the image contract, packed into an image by {@link
 * ImageProcessIT} to prove the harness: serves {@code /readyz} on MANAGEMENT_PORT, reports who and
 * where it runs, connects to HOST_PROBE_PORT on 127.0.0.1 (the host's network), and exits 0 after a
 * graceful stop on SIGTERM.
 */
public final class ReadyzProbe {
  private ReadyzProbe() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("MANAGEMENT_PORT", "9464"));
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
    server.createContext(
        "/readyz",
        exchange -> {
          byte[] body = "ready\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    String hostPort = System.getenv("HOST_PROBE_PORT");
    if (hostPort != null) {
      try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(hostPort))) {
        System.out.println("probe: reached 127.0.0.1:" + hostPort);
      }
    }
    // A shutdown hook cannot change the exit status (the JVM exits 143 after SIGTERM); halting with
    // 0 once the
    // graceful part is done is how a process reports "stopped cleanly".
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("probe: SIGTERM, stopping");
                  server.stop(0);
                  Runtime.getRuntime().halt(0);
                }));
    server.start();
    System.out.println(
        "probe: pid "
            + ProcessHandle.current().pid()
            + " user "
            + System.getProperty("user.name")
            + " cwd "
            + Path.of("").toAbsolutePath()
            + " writable-tmp "
            + Files.isWritable(Path.of("/tmp"))
            + " java "
            + Runtime.version());
  }
}
