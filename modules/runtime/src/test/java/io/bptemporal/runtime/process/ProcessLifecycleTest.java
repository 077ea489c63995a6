package io.bptemporal.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.TelemetryConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessLifecycleTest {
  private static ProcessLifecycle start() {
    return ProcessLifecycle.start(
        TelemetryConfig.fromEnvironment(Map.of("MANAGEMENT_PORT", "0")::get, "lifecycle-test"));
  }

  @Test
  void resourcesCloseInReverseOrderAndOneFailingDoesNotKeepTheOthersOpen() throws Exception {
    List<String> closed = new ArrayList<>();
    ProcessLifecycle lifecycle = start();
    lifecycle.closeOnExit(() -> closed.add("connection"));
    lifecycle.closeOnExit(
        () -> {
          closed.add("pool");
          throw new IllegalStateException("pool refused to close");
        });
    lifecycle.closeOnExit(() -> closed.add("http client"));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest healthz =
        HttpRequest.newBuilder(lifecycle.telemetry().managementUri().resolve("/healthz")).build();
    assertThat(http.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(200);

    lifecycle.close();

    assertThat(closed).containsExactly("http client", "pool", "connection");
    assertThatThrownBy(() -> http.send(healthz, HttpResponse.BodyHandlers.discarding()))
        .as("telemetry closed too: the management endpoint no longer answers")
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aStopRunsEachStopActionOnceAndReleasesTheWaitingThread() throws InterruptedException {
    List<String> ran = new ArrayList<>();
    try (ProcessLifecycle lifecycle = start()) {
      lifecycle.onStop(() -> ran.add("service"));
      assertThat(lifecycle.awaitStop(Duration.ofMillis(1))).isFalse();

      lifecycle.requestStop();
      lifecycle.requestStop();
      lifecycle.onStop(() -> ran.add("registered after the stop"));

      assertThat(lifecycle.awaitStop(Duration.ofMillis(1))).isTrue();
      assertThat(lifecycle.stopRequested()).isTrue();
      assertThat(ran).containsExactly("service", "registered after the stop");
    }
  }
}
