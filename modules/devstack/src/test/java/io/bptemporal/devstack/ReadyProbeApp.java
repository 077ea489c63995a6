package io.bptemporal.devstack;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;

/**
 * A stand-in worker for AppLauncherIT: checks the environment contract it was given (database
 * reachable with DB_URL/DB_USER/DB_PASSWORD), then answers /readyz on MANAGEMENT_PORT until
 * SIGTERM.
 */
public final class ReadyProbeApp {
  public static void main(String[] args) throws Exception {
    String db;
    try (var c =
            DriverManager.getConnection(
                System.getenv("DB_URL"), System.getenv("DB_USER"), System.getenv("DB_PASSWORD"));
        var rs = c.createStatement().executeQuery("select current_database()")) {
      rs.next();
      db = rs.getString(1);
    }
    String body =
        "db="
            + db
            + " temporal="
            + System.getenv("TEMPORAL_ADDRESS")
            + " greeting="
            + System.getenv("GREETING");
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("MANAGEMENT_PORT"))),
            0);
    server.createContext(
        "/readyz",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    System.out.println("probe up: " + body);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("probe stopping");
                  server.stop(0);
                }));
  }
}
