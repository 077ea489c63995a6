package io.bptemporal.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.activity.CronExpression;
import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.activity.TimeZones;
import io.bptemporal.contracts.naming.IdentifierFormat;
import io.bptemporal.contracts.naming.TaskKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The schemas are read by clients in other languages, the Java constants by our processes: both
 * must say the same thing. Each schema keeps a copy of the formats it uses under $defs; these tests
 * keep the copies equal to the Java definitions.
 */
class SchemaAgreementTest {

  private final SchemaCatalog catalog = ContractValidator.schemas();

  @Test
  void identifierDefinitionsMatchTheJavaFormats() {
    int compared = 0;
    for (JsonNode schema : schemas()) {
      JsonNode defs = schema.path("$defs");
      for (IdentifierFormat format : IdentifierFormat.values()) {
        JsonNode def = defs.path(format.name().toLowerCase(Locale.ROOT));
        if (!def.isMissingNode()) {
          assertThat(def.path("pattern").asText())
              .as(format + " in " + schema.path("$id"))
              .isEqualTo(format.regex());
          assertThat(def.path(SchemaCatalog.ACCEPTED_KEYWORD).asText())
              .as(format + " in " + schema.path("$id"))
              .isEqualTo(format.accepted());
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(IdentifierFormat.values().length);
  }

  @Test
  void sharedDefinitionsAreIdenticalInEverySchema() {
    for (String shared : List.of("duration", "timestamp", "schema_version")) {
      List<JsonNode> copies = new ArrayList<>();
      for (JsonNode schema : schemas()) {
        JsonNode def = schema.path("$defs").path(shared);
        if (!def.isMissingNode()) {
          copies.add(def);
        }
      }
      assertThat(copies).as(shared).isNotEmpty();
      assertThat(copies).as(shared).allMatch(copy -> copy.equals(copies.getFirst()));
    }
    JsonNode definition = catalog.schemaDocument(Contracts.ACTIVITY_DEFINITION.schemaFile());
    assertThat(definition.at("/$defs/duration/pattern").asText()).isEqualTo(DurationText.REGEX);
    assertThat(definition.at("/$defs/duration/" + SchemaCatalog.ACCEPTED_KEYWORD).asText())
        .isEqualTo(DurationText.ACCEPTED);
    assertThat(definition.at("/$defs/schema_version/" + SchemaCatalog.ACCEPTED_KEYWORD).asText())
        .isEqualTo(SchemaVersion.ACCEPTED);
  }

  @Test
  void explanationsMatchTheJavaRules() {
    JsonNode definition = catalog.schemaDocument(Contracts.ACTIVITY_DEFINITION.schemaFile());
    assertThat(
            definition
                .at("/$defs/trigger/properties/cron/items/" + SchemaCatalog.ACCEPTED_KEYWORD)
                .asText())
        .isEqualTo(CronExpression.ACCEPTED);
    assertThat(
            definition
                .at("/$defs/trigger/properties/time_zone/" + SchemaCatalog.ACCEPTED_KEYWORD)
                .asText())
        .isEqualTo(TimeZones.ACCEPTED);
    JsonNode task = catalog.schemaDocument(Contracts.TASK_INSTANCE.schemaFile());
    assertThat(task.at("/properties/task_key/" + SchemaCatalog.ACCEPTED_KEYWORD).asText())
        .isEqualTo(TaskKeys.ACCEPTED);
    assertThat(task.at("/properties/task_key/maxLength").asInt()).isEqualTo(TaskKeys.MAX_LENGTH);
  }

  @Test
  void everySchemaIsDraft202012WithItsOwnId() {
    for (var contract : Contracts.ALL) {
      JsonNode schema = catalog.schemaDocument(contract.schemaFile());
      assertThat(schema.path("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("$id").asText())
          .isEqualTo(SchemaCatalog.ID_PREFIX + contract.schemaFile());
      assertThat(schema.path("additionalProperties").asBoolean(true)).as(contract.name()).isFalse();
    }
  }

  private List<JsonNode> schemas() {
    return Contracts.ALL.stream().map(c -> catalog.schemaDocument(c.schemaFile())).toList();
  }
}
