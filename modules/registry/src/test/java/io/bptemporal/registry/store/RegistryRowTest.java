package io.bptemporal.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.bptemporal.contracts.ContractValidator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistryRowTest {

  @Test
  void documentPathsNameTheColumnToFix() {
    assertThat(RegistryRow.columnOf("$.trigger.cron[1]")).isEqualTo("trigger");
    assertThat(RegistryRow.columnOf("$.policies.overlap")).isEqualTo("overlap_policy");
    assertThat(RegistryRow.columnOf("$.policies.missed_run")).isEqualTo("missed_run_policy");
    assertThat(RegistryRow.columnOf("$.policies.catch_up_window")).isEqualTo("catch_up_window");
    assertThat(RegistryRow.columnOf("$.input.source.type")).isEqualTo("input");
    assertThat(RegistryRow.columnOf("$.owner")).isEqualTo("owner");
    assertThat(RegistryRow.columnOf("$")).isEqualTo("(whole row)");
  }

  @Test
  void theRowBecomesAnActivityDefinitionDocumentWithNestedPolicies() {
    var trigger = JsonNodeFactory.instance.objectNode();
    trigger.putArray("cron").add("0 2 * * *");
    RegistryRow row =
        new RegistryRow(
            "a",
            3,
            "1.0",
            "",
            "ns",
            "Probe",
            "probe-tq",
            JsonNodeFactory.instance.objectNode(),
            trigger,
            "BUFFER_ONE",
            "CATCH_UP",
            "6h",
            false,
            true,
            false,
            "team",
            "",
            Instant.parse("2026-11-21T00:00:00Z"));
    var doc = row.toDefinitionDocument();
    assertThat(doc.path("policies").path("overlap").asText()).isEqualTo("BUFFER_ONE");
    assertThat(doc.path("policies").path("catch_up_window").asText()).isEqualTo("6h");
    assertThat(doc.path("activity_id").asText()).isEqualTo("a");
    var definition = ContractValidator.validateDefinition(doc.toString()).orElseThrow();
    assertThat(definition.policies().catchUpWindow()).hasHours(6);
    assertThat(definition.version()).isEqualTo(3);
  }
}
