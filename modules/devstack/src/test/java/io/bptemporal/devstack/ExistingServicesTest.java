package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExistingServicesTest {

  @Test
  void nothingSetMeansNothingExisting() {
    assertThat(ExistingServices.temporal(name -> null)).isEmpty();
    assertThat(ExistingServices.postgres(name -> null)).isEmpty();
    assertThat(ExistingServices.kafka(name -> null)).isEmpty();
  }

  @Test
  void kafkaBootstrapServersAreAListOfHostPort() {
    assertThat(
            ExistingServices.kafka(
                Map.of("KAFKA_BOOTSTRAP_SERVERS", " kafka-0.internal:9092, kafka-1.internal:9092 ")
                    ::get))
        .contains("kafka-0.internal:9092,kafka-1.internal:9092");
  }

  @Test
  void kafkaBootstrapServerWithoutPortIsRejected() {
    assertThatThrownBy(
            () ->
                ExistingServices.kafka(
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1")::get))
        .hasMessage(
            "KAFKA_BOOTSTRAP_SERVERS='kafka-0:9092,kafka-1' is not a comma-separated list of"
                + " host:port (e.g. 127.0.0.1:9092): 'kafka-1'");
  }

  @Test
  void temporalAddressWithOptionalUiAndMetrics() {
    var temporal =
        ExistingServices.temporal(
                Map.of(
                        "TEMPORAL_ADDRESS",
                        "temporal.example:7233",
                        "TEMPORAL_METRICS_URL",
                        "http://temporal.example:9090/metrics")
                    ::get)
            .orElseThrow();

    assertThat(temporal.address()).isEqualTo("temporal.example:7233");
    assertThat(temporal.metricsUrl()).contains(URI.create("http://temporal.example:9090/metrics"));
    assertThat(temporal.uiUrl()).isEmpty();
  }

  @Test
  void temporalAddressWithoutPortIsRejected() {
    assertThatThrownBy(
            () -> ExistingServices.temporal(Map.of("TEMPORAL_ADDRESS", "temporal.example")::get))
        .hasMessage("TEMPORAL_ADDRESS='temporal.example' is not host:port (e.g. 127.0.0.1:7233)");
  }

  @Test
  void malformedUrlNamesTheVariable() {
    assertThatThrownBy(
            () ->
                ExistingServices.temporal(
                    Map.of("TEMPORAL_ADDRESS", "h:1", "TEMPORAL_UI_URL", "not a url")::get))
        .hasMessageStartingWith("TEMPORAL_UI_URL='not a url' is not an http(s) URL");
  }

  @Test
  void jdbcUrlIsParsedWithDefaultPort() {
    var pg =
        ExistingServices.postgres(
                Map.of(
                        "DEVSTACK_JDBC_URL",
                        "jdbc:postgresql://db.internal/app",
                        "DEVSTACK_JDBC_USER",
                        "admin",
                        "DEVSTACK_JDBC_PASSWORD",
                        "s3cret")
                    ::get)
            .orElseThrow();

    assertThat(pg).isEqualTo(new PostgresEndpoint("db.internal", 5432, "admin", "s3cret"));
    assertThat(pg.jdbcUrl("orders")).isEqualTo("jdbc:postgresql://db.internal:5432/orders");
  }

  @Test
  void jdbcUrlOfAnotherDatabaseIsRejected() {
    assertThatThrownBy(
            () ->
                ExistingServices.postgres(
                    Map.of("DEVSTACK_JDBC_URL", "jdbc:mysql://db:3306/x", "DEVSTACK_JDBC_USER", "u")
                        ::get))
        .hasMessageContaining(
            "DEVSTACK_JDBC_URL='jdbc:mysql://db:3306/x' is not a PostgreSQL JDBC URL");
  }

  @Test
  void jdbcUrlWithoutUserSaysWhatIsMissing() {
    assertThatThrownBy(
            () ->
                ExistingServices.postgres(
                    Map.of("DEVSTACK_JDBC_URL", "jdbc:postgresql://db:5433/x")::get))
        .hasMessageContaining("DEVSTACK_JDBC_USER is not");
  }
}
