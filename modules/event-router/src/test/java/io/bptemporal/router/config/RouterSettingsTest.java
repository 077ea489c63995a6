package io.bptemporal.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RouterSettingsTest {
  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    env.put("REGISTRY_DB_URL", "jdbc:postgresql://db:5432/registry");
    env.put("REGISTRY_DB_USER", "registry_reader");
    env.put("REGISTRY_DB_PASSWORD", "secret");
    return env;
  }

  private static RouterSettings read(Map<String, String> values) {
    Environment env = Environment.of(values::get);
    RouterSettings settings = RouterSettings.fromEnvironment(env);
    env.validate();
    return settings;
  }

  @Test
  void defaults() {
    RouterSettings s = read(minimal());
    assertThat(s.topics()).containsExactly("bp.events");
    assertThat(s.deadLetterTopic()).isEqualTo("bp.events.dlq");
    assertThat(s.groupId()).isEqualTo("bp-event-router");
    assertThat(s.groupInstanceId()).as("a dynamic member unless told").isEmpty();
    assertThat(s.maxRecordBytes()).isEqualTo(256 * 1024);
    assertThat(s.reloadInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.kafka().securityProtocol()).isEqualTo("PLAINTEXT");
    assertThat(s.temporal().namespace()).isEqualTo("pipelines");
    Properties p = s.kafka().clientProperties("c");
    assertThat(p)
        .containsEntry("bootstrap.servers", "kafka:9092")
        .doesNotContainKey("sasl.jaas.config");
  }

  @Test
  void saslScramOverTlsFromTheEnvironmentNeverPrintsThePassword() {
    Map<String, String> env = minimal();
    env.put("KAFKA_SECURITY_PROTOCOL", "sasl_ssl");
    env.put("KAFKA_SASL_USERNAME", "router");
    env.put("KAFKA_SASL_PASSWORD", "p\"w");
    RouterSettings s = read(env);
    Properties p = s.kafka().clientProperties("c");
    assertThat(p)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(p.getProperty("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"router\""
                + " password=\"p\\\"w\";");
    assertThat(s.kafka().toString()).doesNotContain("p\"w").contains("password=***");
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka");
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("ROUTER_TOPICS", "bp.events, bad topic");
    env.put("ROUTER_DLQ_TOPIC", "bp.events");
    env.put("ROUTER_MAX_RECORD_BYTES", "10");
    env.put("ROUTER_GROUP_INSTANCE_ID", "pod 1");
    assertThatThrownBy(() -> read(env))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(String.join("\n", e.problems()))
                    .contains(
                        "KAFKA_BOOTSTRAP_SERVERS='kafka' is not accepted",
                        "KAFKA_SASL_USERNAME is not set",
                        "KAFKA_SASL_PASSWORD is not set",
                        "ROUTER_TOPICS='bp.events, bad topic' is not accepted",
                        "ROUTER_DLQ_TOPIC='bp.events' is not accepted",
                        "ROUTER_MAX_RECORD_BYTES='10' is not accepted",
                        "ROUTER_GROUP_INSTANCE_ID='pod 1' is not accepted",
                        "REGISTRY_DB_URL is not set",
                        "REGISTRY_DB_USER is not set",
                        "REGISTRY_DB_PASSWORD is not set"));
  }

  @Test
  void aStaticGroupMemberIsNamedByRouterGroupInstanceId() {
    Map<String, String> env = minimal();
    env.put("ROUTER_GROUP_INSTANCE_ID", "bp-event-router-7d9f-x2x9q");
    assertThat(read(env).groupInstanceId()).contains("bp-event-router-7d9f-x2x9q");
  }

  @Test
  void tlsStoreTypesFollowTheFileName() {
    assertThat(
            List.of("ca.pem", "ca.crt", "store.jks", "store.p12").stream()
                .map(
                    n ->
                        io.bptemporal.router.kafka.KafkaSettings.storeType(
                            java.nio.file.Path.of(n)))
                .toList())
        .containsExactly("PEM", "PEM", "JKS", "PKCS12");
  }
}
