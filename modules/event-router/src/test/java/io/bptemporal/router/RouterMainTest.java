package io.bptemporal.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.observability.config.Environment;
import io.bptemporal.router.config.RouterSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dead-letter producer's transactional settings. */
class RouterMainTest {
  private static RouterSettings settings(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    values.put("REGISTRY_DB_URL", "jdbc:postgresql://db:5432/registry");
    values.put("REGISTRY_DB_USER", "registry_reader");
    values.put("REGISTRY_DB_PASSWORD", "secret");
    values.putAll(extra);
    Environment env = Environment.of(values::get);
    RouterSettings settings = RouterSettings.fromEnvironment(env);
    env.validate();
    return settings;
  }

  @Test
  void aStaticMemberHasAStableTransactionalIdUnderTheGroupPrefix() {
    RouterSettings s = settings(Map.of("ROUTER_GROUP_INSTANCE_ID", "event-router-7c9f-x2"));
    assertThat(RouterMain.transactionalId(s, "event-router-h", UUID.randomUUID()))
        .as("a restarted pod fences its predecessor")
        .isEqualTo("bp-event-router-event-router-7c9f-x2-dlq");
  }

  @Test
  void withoutAnInstanceIdEveryProcessHasItsOwn() {
    RouterSettings s = settings(Map.of());
    String one = RouterMain.transactionalId(s, "event-router-h", UUID.randomUUID());
    String two = RouterMain.transactionalId(s, "event-router-h", UUID.randomUUID());
    assertThat(one).startsWith("bp-event-router-event-router-h-").endsWith("-dlq");
    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void theDeadLetterProducerIsTransactionalAndBounded() {
    Properties p = RouterMain.producerProperties(settings(Map.of()), "event-router-h");
    assertThat(p.getProperty("transactional.id")).startsWith("bp-event-router-");
    assertThat(p.getProperty("acks")).isEqualTo("all");
    assertThat(Long.parseLong(p.getProperty("max.block.ms"))).isLessThanOrEqualTo(15_000);
    Properties c = RouterMain.consumerProperties(settings(Map.of()), "event-router-h");
    assertThat(c.getProperty("isolation.level")).isEqualTo("read_committed");
    assertThat(c.getProperty("enable.auto.commit")).isEqualTo("false");
  }
}
