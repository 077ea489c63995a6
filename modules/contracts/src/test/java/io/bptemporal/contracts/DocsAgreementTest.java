package io.bptemporal.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.ordersaga.OrderActivities;
import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.runactivity.RunActivityActivities;
import io.bptemporal.contracts.validation.Contract;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/contracts.md names every field, every payload field and every Temporal name the code
 * defines.
 */
class DocsAgreementTest {

  /** Surefire runs in the module directory; the docs live at the repository root. */
  private static final Path DOC = Path.of("../../docs/contracts.md");

  @Test
  void everySchemaPropertyIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    Set<String> undocumented = new TreeSet<>();
    for (Contract<?> contract : Contracts.ALL) {
      collectProperties(
          ContractValidator.schemas().schemaDocument(contract.schemaFile()), undocumented);
    }
    undocumented.removeIf(name -> mentions(doc, name));
    assertThat(undocumented).as("schema properties missing from " + DOC).isEmpty();
  }

  @Test
  void everyPayloadFieldIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    Set<String> undocumented = new TreeSet<>();
    for (Fixtures.Fixture fixture : Fixtures.all()) {
      collectFieldNames(fixture.json(), undocumented);
    }
    // Free-form content of the example payloads, not contract fields.
    undocumented.removeAll(Set.of("target", "days", "partition", "from", "to"));
    undocumented.removeIf(name -> mentions(doc, name));
    assertThat(undocumented).as("payload fields missing from " + DOC).isEmpty();
  }

  @Test
  void everyActivityTypeAndSchemaFileIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    Stream.of(OrderActivities.class, DataPipelineActivities.class, RunActivityActivities.class)
        .flatMap(
            type -> POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata().stream())
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .forEach(name -> assertThat(doc).contains("`" + name + "`"));
    Contracts.ALL.forEach(contract -> assertThat(doc).contains("`" + contract.schemaFile() + "`"));
  }

  private static boolean mentions(String doc, String name) {
    return doc.contains("`" + name + "`")
        || doc.contains("\"" + name + "\"")
        || doc.contains("." + name + "`")
        || doc.contains("`" + name + ".")
        || doc.contains("`" + name + "[]");
  }

  private static void collectProperties(JsonNode schema, Set<String> names) {
    if (schema.isObject()) {
      for (Map.Entry<String, JsonNode> field : schema.properties()) {
        if (field.getKey().equals("properties") && field.getValue().isObject()) {
          field.getValue().properties().forEach(property -> names.add(property.getKey()));
        }
        collectProperties(field.getValue(), names);
      }
    } else if (schema.isArray()) {
      schema.forEach(item -> collectProperties(item, names));
    }
  }

  private static void collectFieldNames(JsonNode json, Set<String> names) {
    if (json.isObject()) {
      for (Map.Entry<String, JsonNode> field : json.properties()) {
        names.add(field.getKey());
        if (!field.getKey().equals("payload") && !field.getKey().equals("input")) {
          collectFieldNames(field.getValue(), names);
        }
      }
    } else if (json.isArray()) {
      json.forEach(item -> collectFieldNames(item, names));
    }
  }
}
