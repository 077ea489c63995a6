package io.bptemporal.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.scheduler.plan.TestRows;
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
    RegistryRow row = TestRows.row("a", "{\"policies\": {\"overlap\": \"BUFFER_ONE\", \"catch_up_window\": \"6h\"}}");
    var doc = row.toDefinitionDocument();
    assertThat(doc.path("policies").path("overlap").asText()).isEqualTo("BUFFER_ONE");
    assertThat(doc.path("policies").path("catch_up_window").asText()).isEqualTo("6h");
    assertThat(doc.path("activity_id").asText()).isEqualTo("a");
    assertThat(TestRows.definition(row).policies().catchUpWindow()).hasHours(6);
  }
}
