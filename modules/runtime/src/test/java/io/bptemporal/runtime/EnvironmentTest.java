package io.bptemporal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.temporal.TemporalSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Environment env = Environment.of(name -> null);

    TemporalSettings temporal = TemporalSettings.fromEnvironment(env, "orders", "orders-tq");
    env.validate();

    assertThat(temporal.address()).isEqualTo("127.0.0.1:7233");
    assertThat(temporal.namespace()).isEqualTo("orders");
    assertThat(temporal.taskQueue()).isEqualTo("orders-tq");
    assertThat(temporal.tls()).isEmpty();
    assertThat(temporal.apiKey()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnceWithVariableValueAndWhatIsAccepted() {
    Environment env =
        Environment.of(
            Map.of(
                    "TEMPORAL_ADDRESS", "temporal-frontend",
                    "TEMPORAL_TLS_ENABLED", "maybe",
                    "DB_URL", "jdbc:mysql://db/orders",
                    "DB_POOL_SIZE", "0",
                    "SHUTDOWN_GRACE_SECONDS", "-5")
                ::get);

    TemporalSettings.fromEnvironment(env, "orders", "orders-tq");
    DatabaseSettings.fromEnvironment(env);
    env.seconds("SHUTDOWN_GRACE_SECONDS", Duration.ofSeconds(30), Duration.ofHours(1));

    assertThatThrownBy(env::validate)
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "TEMPORAL_ADDRESS='temporal-frontend' is not accepted: use host:port, e.g. temporal-frontend:7233",
                        "TEMPORAL_TLS_ENABLED='maybe' is not accepted: use true or false",
                        "DB_URL='jdbc:mysql://db/orders' is not accepted: use a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database",
                        "DB_USER is not set: the database account",
                        "DB_POOL_SIZE='0' is not accepted: use a whole number from 1 to 200",
                        "SHUTDOWN_GRACE_SECONDS='-5' is not accepted: use a whole number from 0 to 3600"));
  }

  @Test
  void tlsFilesMustExistAndCertAndKeyGoTogether() {
    Environment env =
        Environment.of(
            Map.of(
                    "TEMPORAL_TLS_ENABLED", "true",
                    "TEMPORAL_TLS_CA_FILE", "/nonexistent/ca.pem",
                    "TEMPORAL_TLS_CERT_FILE", "/nonexistent/tls.crt")
                ::get);

    TemporalSettings.fromEnvironment(env, "orders", "orders-tq");

    assertThatThrownBy(env::validate)
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "TEMPORAL_TLS_CERT_FILE='/nonexistent/tls.crt' is not a readable file",
                        "TEMPORAL_TLS_CA_FILE='/nonexistent/ca.pem' is not a readable file"));
  }

  @Test
  void secretsNeverAppearInToString() {
    Environment env =
        Environment.of(
            Map.of(
                    "TEMPORAL_API_KEY",
                    "k-123-secret",
                    "DB_URL",
                    "jdbc:postgresql://db/orders",
                    "DB_USER",
                    "orders",
                    "DB_PASSWORD",
                    "p-456-secret")
                ::get);

    String printed =
        TemporalSettings.fromEnvironment(env, "orders", "orders-tq")
            + " "
            + DatabaseSettings.fromEnvironment(env);

    assertThat(printed)
        .doesNotContain("k-123-secret")
        .doesNotContain("p-456-secret")
        .contains("apiKey=***");
  }

  @Test
  void oneOfReturnsTheAcceptedSpelling() {
    Environment env = Environment.of(Map.of("LOG_FORMAT", "JSON", "OTHER", "xml")::get);

    assertThat(env.oneOf("LOG_FORMAT", "text", List.of("json", "text"))).isEqualTo("json");
    env.oneOf("OTHER", "text", List.of("json", "text"));
    assertThatThrownBy(env::validate)
        .hasMessageContaining("OTHER='xml' is not accepted: use one of [json, text]");
  }
}
