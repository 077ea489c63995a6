package io.bptemporal.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {
  private static final Map<String, String> REQUIRED =
      Map.of("DB_URL", "jdbc:postgresql://db:5432/registry", "DB_USER", "registry");

  private static SchedulerSettings read(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.putAll(extra);
    return SchedulerSettings.fromEnvironment(Environment.of(env::get));
  }

  @Test
  void defaults() {
    SchedulerSettings s = read(Map.of());
    assertThat(s.reconcileInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.lockRetryInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.namespaces()).containsExactlyInAnyOrder("default", "orders", "pipelines");
    assertThat(s.workflowTypes())
        .contains(Set.of("RunActivityWorkflow", "DataPipelineWorkflow", "OrderSagaWorkflow"));
    assertThat(s.seed()).isEmpty();
    assertThat(s.telemetry().managementPort()).isEqualTo(9464);
    assertThat(s.temporal().address()).isEqualTo("127.0.0.1:7233");
    assertThat(s.temporal().taskQueue()).isEqualTo("activities-tq");
    assertThat(s.registryReaderRoles()).isEmpty();
  }

  @Test
  void readerRolesAreACommaSeparatedListOfPlainIdentifiers() {
    assertThat(
            read(Map.of("REGISTRY_READER_ROLES", " registry_reader, audit_reader ,registry_reader"))
                .registryReaderRoles())
        .containsExactly("registry_reader", "audit_reader");
    assertThatThrownBy(
            () -> read(Map.of("REGISTRY_READER_ROLES", "registry_reader,Bad-Role,x;drop")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(
                        p ->
                            p.startsWith(
                                "REGISTRY_READER_ROLES='registry_reader,Bad-Role,x;drop' is not accepted ([Bad-Role, x;drop]): use a"
                                    + " comma-separated list of role names, lower-case SQL identifiers")));
  }

  @Test
  void goStyleDurationsListsAndTheAnyTypeWildcard() {
    SchedulerSettings s =
        read(
            Map.of(
                "SCHEDULER_RECONCILE_INTERVAL",
                "1m30s",
                "SCHEDULER_NAMESPACES",
                " pipelines , acme-pipelines ",
                "SCHEDULER_WORKFLOW_TYPES",
                "*",
                "SCHEDULER_SEED",
                "dev"));
    assertThat(s.reconcileInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.namespaces()).containsExactlyInAnyOrder("pipelines", "acme-pipelines");
    assertThat(s.workflowTypes()).isEmpty();
    assertThat(s.seed()).isEqualTo(Optional.of("dev"));
  }

  @Test
  void everyProblemIsReportedAtOnceNamingVariableValueAndWhatIsAccepted() {
    assertThatThrownBy(
            () ->
                SchedulerSettings.fromEnvironment(
                    Environment.of(
                        Map.of(
                                "SCHEDULER_RECONCILE_INTERVAL",
                                "500ms",
                                "SCHEDULER_LOCK_RETRY_INTERVAL",
                                "0s",
                                "SCHEDULER_WORKFLOW_TYPES",
                                "Good,9bad",
                                "MANAGEMENT_PORT",
                                "http")
                            ::get)))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.startsWith("DB_URL is not set"))
                    .anyMatch(
                        p ->
                            p.startsWith(
                                "SCHEDULER_RECONCILE_INTERVAL='500ms' is not accepted: use a duration"))
                    .anyMatch(
                        p -> p.startsWith("SCHEDULER_LOCK_RETRY_INTERVAL='0s' is not accepted"))
                    .anyMatch(
                        p ->
                            p.startsWith(
                                "SCHEDULER_WORKFLOW_TYPES='Good,9bad' is not accepted ([9bad])"))
                    .anyMatch(p -> p.startsWith("MANAGEMENT_PORT='http'")));
  }
}
