package io.bptemporal.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.observability.health.ReadinessChecks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * /readyz follows the real Temporal server: stopped, it answers 503 naming the check; restarted,
 * 200.
 */
@ExtendWith(DevStackExtension.class)
class ReadinessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readyzTurnsUnavailableWhenTheTemporalServerGoesAwayAndAvailableWhenItReturns(
      StackEndpoints stack, DevStack devStack) throws Exception {
    PGSimpleDataSource database = new PGSimpleDataSource();
    database.setURL(stack.postgres().jdbcUrl("postgres"));
    database.setUser(stack.postgres().adminUser());
    database.setPassword(stack.postgres().adminPassword());

    try (ObservedWorker worker =
        ObservedWorker.start(stack.temporalAddress(), Map.of("MANAGEMENT_PORT", "0"))) {
      worker.telemetry.health().register(ReadinessChecks.databaseReachable(database));
      HttpResponse<String> before = worker.get("/readyz");
      assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
      assertThat(names(JSON.readTree(before.body()).get("checks")))
          .containsExactly("Temporal reachable", "worker polling", "database reachable");

      devStack.stopTemporalServer();
      HttpResponse<String> down;
      try {
        down =
            TelemetryIT.await(
                "/readyz 503 with Temporal stopped",
                Duration.ofMinutes(2),
                () -> {
                  HttpResponse<String> r = worker.get("/readyz");
                  return r.statusCode() == 503 ? r : null;
                });
      } finally {
        devStack.startTemporalServer();
      }
      JsonNode body = JSON.readTree(down.body());
      assertThat(body.get("status").asText()).isEqualTo("DOWN");
      assertThat(names(body.get("failing"))).containsExactly("Temporal reachable");
      assertThat(worker.get("/healthz").statusCode())
          .as("liveness stays up while Temporal is away")
          .isEqualTo(200);

      // gRPC reconnects with backoff; the SDK resets that backoff regularly, so this takes seconds,
      // not minutes.
      HttpResponse<String> up =
          TelemetryIT.await(
              "/readyz 200 after Temporal restarted",
              Duration.ofMinutes(3),
              () -> {
                HttpResponse<String> r = worker.get("/readyz");
                return r.statusCode() == 200 ? r : null;
              });
      assertThat(JSON.readTree(up.body()).get("failing")).isEmpty();
    }
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.isTextual() ? n.asText() : n.get("name").asText()));
    return names;
  }
}
