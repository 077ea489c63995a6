package io.bptemporal.observability.endpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bptemporal.observability.health.CheckOutcome;
import io.bptemporal.observability.health.HealthRegistry;
import io.bptemporal.observability.health.ReadinessReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP endpoint on {@code MANAGEMENT_PORT}: {@code GET /metrics} (Prometheus text
 * format), {@code /healthz} (liveness: 200 while the process can answer at all) and {@code /readyz}
 * (200 when every readiness check passes, 503 with the failing checks' names otherwise; JSON either
 * way).
 *
 * <p>The JDK's HTTP server: three fixed paths do not justify a web framework on every worker's
 * classpath. It listens on all interfaces because Prometheus and the kubelet reach it via the pod
 * IP.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

  /** Prometheus text exposition format 0.0.4, which every Prometheus version scrapes. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final String JSON = "application/json";

  private final HttpServer server;
  private final ExecutorService executor;
  private final JsonFactory json = new JsonFactory();

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code port} (0: any free port) and starts serving.
   *
   * @param scrape produces the Prometheus text for /metrics
   * @throws IllegalStateException when the port is taken, naming MANAGEMENT_PORT
   */
  public static ManagementServer start(int port, Supplier<String> scrape, HealthRegistry health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (BindException e) {
      throw new IllegalStateException(
          "cannot listen on MANAGEMENT_PORT="
              + port
              + ": "
              + e.getMessage()
              + "; another process holds it - set MANAGEMENT_PORT to a free port",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the management endpoint on port " + port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    // Two threads: a slow scrape must not delay the kubelet's probes, and more would only serve
    // bursts.
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "management-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ManagementServer management = new ManagementServer(server, executor);
    server.setExecutor(executor);
    server.createContext("/", exchange -> management.handle(exchange, scrape, health));
    server.start();
    log.info("management endpoint on port {}: /metrics /healthz /readyz", management.port());
    return management;
  }

  /** The bound port (differs from the configured one when that was 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange, Supplier<String> scrape, HealthRegistry health)
      throws IOException {
    try (exchange) {
      try {
        route(exchange, scrape, health);
      } catch (RuntimeException e) {
        // A failing scrape must not kill the server thread; Prometheus records the 500 as a failed
        // scrape.
        log.warn("management endpoint failed on {}: {}", exchange.getRequestURI(), e.toString());
        send(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
      }
    }
  }

  private void route(HttpExchange exchange, Supplier<String> scrape, HealthRegistry health)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "use GET\n");
      return;
    }
    switch (exchange.getRequestURI().getPath()) {
      case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, scrape.get());
      case "/healthz" -> send(exchange, 200, JSON, "{\"status\":\"UP\"}");
      case "/readyz" -> {
        ReadinessReport report = health.check();
        send(exchange, report.ready() ? 200 : 503, JSON, readinessJson(report));
      }
      default ->
          send(
              exchange,
              404,
              "text/plain; charset=utf-8",
              "not found; try /metrics, /healthz or /readyz\n");
    }
  }

  /**
   * {@code
   * {"status":"UP"|"DOWN","failing":[names],"checks":[{"name","healthy","detail","took_ms"}]}}.
   */
  String readinessJson(ReadinessReport report) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (JsonGenerator out = json.createGenerator(buffer)) {
      out.writeStartObject();
      out.writeStringField("status", report.ready() ? "UP" : "DOWN");
      out.writeArrayFieldStart("failing");
      for (String name : report.failing()) {
        out.writeString(name);
      }
      out.writeEndArray();
      out.writeArrayFieldStart("checks");
      for (CheckOutcome check : report.checks()) {
        out.writeStartObject();
        out.writeStringField("name", check.name());
        out.writeBooleanField("healthy", check.healthy());
        out.writeStringField("detail", check.detail());
        out.writeNumberField("took_ms", check.took().toMillis());
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
