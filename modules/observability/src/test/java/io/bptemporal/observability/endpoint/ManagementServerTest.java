package io.bptemporal.observability.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.observability.health.CheckResult;
import io.bptemporal.observability.health.HealthRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagementServerTest {
  private final HealthRegistry health = new HealthRegistry();
  private final AtomicBoolean temporalUp = new AtomicBoolean(true);
  private final ManagementServer server =
      ManagementServer.start(0, () -> "# TYPE up gauge\nup 1\n", health);

  @AfterEach
  void stop() {
    server.close();
    health.close();
  }

  @Test
  void metricsAreServedAsPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics", "GET");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).isEqualTo("# TYPE up gauge\nup 1\n");
  }

  @Test
  void livenessAnswersWhileTheProcessRuns() throws Exception {
    temporalUp.set(false);
    health.register("Temporal reachable", () -> CheckResult.unhealthy("down"));

    HttpResponse<String> response = get("/healthz", "GET");

    // Liveness must not follow readiness: restarting a worker because Temporal is down helps
    // nobody.
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void readinessIs503WithTheFailingChecksNamedThen200() throws Exception {
    health.register(
        "Temporal reachable",
        () ->
            temporalUp.get()
                ? CheckResult.healthy("frontend SERVING")
                : CheckResult.unhealthy("UNAVAILABLE: io exception"));
    health.register("database reachable", () -> CheckResult.healthy("connection valid"));
    temporalUp.set(false);

    HttpResponse<String> down = get("/readyz", "GET");

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = new ObjectMapper().readTree(down.body());
    assertThat(body.get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("failing")).hasSize(1);
    assertThat(body.get("failing").get(0).asText()).isEqualTo("Temporal reachable");
    assertThat(body.get("checks").get(0).get("detail").asText())
        .isEqualTo("UNAVAILABLE: io exception");
    assertThat(body.get("checks").get(1).get("healthy").asBoolean()).isTrue();

    temporalUp.set(true);
    HttpResponse<String> up = get("/readyz", "GET");

    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(up.body()).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/metrics/extra", "GET").statusCode()).isEqualTo(404);
    assertThat(get("/", "GET").statusCode()).isEqualTo(404);
    HttpResponse<String> post = get("/metrics", "POST");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void aFailingScrapeAnswers500AndTheServerKeepsServing() throws Exception {
    try (ManagementServer failing =
        ManagementServer.start(
            0,
            () -> {
              throw new IllegalStateException("registry closed");
            },
            health)) {
      URI metrics = URI.create("http://127.0.0.1:" + failing.port() + "/metrics");
      URI healthz = URI.create("http://127.0.0.1:" + failing.port() + "/healthz");
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("registry closed");
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aTakenPortIsReportedNamingManagementPort() {
    assertThatThrownBy(() -> ManagementServer.start(server.port(), () -> "", health))
        .hasMessageStartingWith("cannot listen on MANAGEMENT_PORT=" + server.port())
        .hasMessageContaining("set MANAGEMENT_PORT to a free port");
  }

  private HttpResponse<String> get(String path, String method) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
