package io.bptemporal.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.logging.LogFormat;
import io.bptemporal.observability.logging.LogLevel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryConfigTest {

  private static TelemetryConfig read(Map<String, String> env) {
    return TelemetryConfig.fromEnvironment(env::get, "order-saga-worker");
  }

  @Test
  void emptyEnvironmentGivesTheDocumentedDefaults() {
    TelemetryConfig config = read(Map.of());

    assertThat(config.service()).isEqualTo("order-saga-worker");
    assertThat(config.managementPort()).isEqualTo(9464);
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(config.tracingEnabled()).isFalse();
    assertThat(config.namespace()).isEmpty();
    assertThat(config.taskQueue()).isEmpty();
  }

  @Test
  void readsEveryVariableOfTheContract() {
    TelemetryConfig config =
        read(
            Map.of(
                "MANAGEMENT_PORT",
                "9100",
                "LOG_FORMAT",
                "JSON",
                "LOG_LEVEL",
                "debug",
                "OTEL_TRACES_EXPORTER",
                "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://collector:4317",
                "UNRELATED",
                "x"));

    assertThat(config.managementPort()).isEqualTo(9100);
    assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(config.logLevel()).isEqualTo(LogLevel.DEBUG);
    assertThat(config.tracingEnabled()).isTrue();
    assertThat(config.otelSettings())
        .containsOnly(
            Map.entry("OTEL_TRACES_EXPORTER", "otlp"),
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));
  }

  @Test
  void everyBadVariableIsReportedAtOnceNamingVariableValueAndWhatIsAccepted() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of("MANAGEMENT_PORT", "metrics", "LOG_FORMAT", "xml", "LOG_LEVEL", "LOUD")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "MANAGEMENT_PORT='metrics' is not a port number; accepted: 0-65535 (0 picks a free port; default 9464)",
                        "LOG_FORMAT='xml' is not accepted; use json or text (default text)",
                        "LOG_LEVEL='LOUD' is not accepted; use one of [TRACE, DEBUG, INFO, WARN, ERROR, OFF] (default INFO)"))
        .hasMessageStartingWith("invalid configuration:\n  - MANAGEMENT_PORT='metrics'");
  }

  @Test
  void itsProblemsJoinTheProcesssOtherReadsInOneReport() {
    Environment env =
        Environment.of(Map.of("LOG_LEVEL", "LOUD", "SHUTDOWN_GRACE_SECONDS", "soon")::get);
    TelemetryConfig config = TelemetryConfig.fromEnvironment(env, "order-saga-worker");
    env.integer("SHUTDOWN_GRACE_SECONDS", 30, 0, 3600);

    assertThat(config.logLevel())
        .as("the default stands in until validate() reports")
        .isEqualTo(LogLevel.INFO);
    assertThatThrownBy(env::validate)
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "LOG_LEVEL='LOUD' is not accepted; use one of [TRACE, DEBUG, INFO, WARN, ERROR, OFF] (default INFO)",
                        "SHUTDOWN_GRACE_SECONDS='soon' is not accepted: use a whole number from 0 to 3600"));
  }

  @Test
  void portOutsideTheRangeIsRejected() {
    assertThatThrownBy(() -> read(Map.of("MANAGEMENT_PORT", "70000")))
        .hasMessageContaining("MANAGEMENT_PORT='70000' is outside 0-65535");
  }

  @Test
  void emptyVariablesCountAsUnset() {
    TelemetryConfig config =
        read(Map.of("MANAGEMENT_PORT", "", "LOG_FORMAT", " ", "OTEL_TRACES_EXPORTER", ""));

    assertThat(config.managementPort()).isEqualTo(9464);
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(config.tracingEnabled()).isFalse();
  }

  @Test
  void collectorCredentialsDoNotShowInTheStringForm() {
    TelemetryConfig config =
        read(
            Map.of(
                "OTEL_TRACES_EXPORTER",
                "otlp",
                "OTEL_EXPORTER_OTLP_HEADERS",
                "authorization=Bearer s3cr3t"));

    assertThat(config.toString())
        .doesNotContain("s3cr3t")
        .contains("OTEL_EXPORTER_OTLP_HEADERS=***");
    assertThat(config.otelSettings())
        .containsEntry("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer s3cr3t");
  }

  @Test
  void warningIsAcceptedAsWarn() {
    assertThat(read(Map.of("LOG_LEVEL", "warning")).logLevel()).isEqualTo(LogLevel.WARN);
  }

  @Test
  void tracingIsOffForNoneAndWhenTheSdkIsDisabled() {
    assertThat(read(Map.of("OTEL_TRACES_EXPORTER", "none")).tracingEnabled()).isFalse();
    assertThat(
            read(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true"))
                .tracingEnabled())
        .isFalse();
    assertThat(read(Map.of("OTEL_TRACES_EXPORTER", "console")).tracingEnabled()).isTrue();
  }

  @Test
  void serviceNameMustBeUsableAsALabelAndIdentifier() {
    assertThatThrownBy(
            () -> TelemetryConfig.fromEnvironment(Map.<String, String>of()::get, "Order Saga"))
        .hasMessageContaining("service name 'Order Saga' is not accepted");
  }

  @Test
  void workerTagsAreAddedByTheProcessThatOwnsTheTemporalSettings() {
    TelemetryConfig config = read(Map.of()).withWorkerTags("orders", "orders-tq");

    assertThat(config.namespace()).contains("orders");
    assertThat(config.taskQueue()).contains("orders-tq");
    assertThatThrownBy(() -> read(Map.of()).withWorkerTags("orders", " "))
        .hasMessageContaining("taskQueue");
  }
}
