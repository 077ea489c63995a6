package io.bptemporal.router.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {
  private static RelaySettings read(Map<String, String> values) {
    Environment env = Environment.of(values::get);
    RelaySettings settings = RelaySettings.fromEnvironment(env, "bp.events.dlq");
    env.validate();
    return settings;
  }

  @Test
  void offUnlessRelaySourcesListsAnOutbox() {
    RelaySettings s = read(Map.of());
    assertThat(s.enabled()).isFalse();
    assertThat(s.topic()).isEqualTo("bp.outbox");
    assertThat(s.batchSize()).isEqualTo(200);
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void eachListedSourceHasItsOwnDatabaseAndRole() {
    Map<String, String> env = new HashMap<>();
    env.put("RELAY_SOURCES", "orders, activity");
    env.put("RELAY_ACTIVITY_DB_URL", "jdbc:postgresql://db:5432/activity");
    env.put("RELAY_ACTIVITY_DB_USER", "outbox_relay");
    env.put("RELAY_ACTIVITY_DB_PASSWORD", "a");
    env.put("RELAY_ORDERS_DB_URL", "jdbc:postgresql://db:5432/orders");
    env.put("RELAY_ORDERS_DB_USER", "outbox_relay");
    env.put("RELAY_ORDERS_DB_PASSWORD", "o");
    env.put("RELAY_BATCH_SIZE", "50");
    env.put("RELAY_POLL_INTERVAL_MILLIS", "100");
    RelaySettings s = read(env);
    assertThat(s.sources()).containsOnlyKeys(OutboxSource.ACTIVITY, OutboxSource.ORDERS);
    assertThat(s.sources().get(OutboxSource.ORDERS).url())
        .isEqualTo("jdbc:postgresql://db:5432/orders");
    assertThat(s.sources().get(OutboxSource.ACTIVITY).toString()).doesNotContain("password=a");
    assertThat(s.batchSize()).isEqualTo(50);
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("RELAY_SOURCES", "activity,mail");
    env.put("RELAY_ACTIVITY_DB_URL", "postgres://db/activity");
    env.put("RELAY_ORDERS_DB_URL", "jdbc:postgresql://db:5432/orders");
    env.put("RELAY_TOPIC", "bp.events.dlq");
    env.put("RELAY_BATCH_SIZE", "0");
    assertThatThrownBy(() -> read(env))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(String.join("\n", e.problems()))
                    .contains(
                        "RELAY_SOURCES='activity,mail' is not accepted ([mail])",
                        "RELAY_ACTIVITY_DB_URL='postgres://db/activity' is not accepted",
                        "RELAY_ACTIVITY_DB_USER is not set",
                        "RELAY_ACTIVITY_DB_PASSWORD is not set",
                        "RELAY_ORDERS_DB_URL is set but RELAY_SOURCES does not list orders",
                        "RELAY_TOPIC='bp.events.dlq' is not accepted",
                        "RELAY_BATCH_SIZE='0' is not accepted"));
  }
}
