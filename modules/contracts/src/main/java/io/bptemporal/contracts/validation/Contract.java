package io.bptemporal.contracts.validation;

import java.util.Objects;

/**
 * A document type that {@link io.bptemporal.contracts.ContractValidator} can check.
 *
 * @param name short name used in messages, e.g. {@code activity-definition}
 * @param schemaFile file name of the JSON Schema under {@value SchemaCatalog#RESOURCE_DIRECTORY}
 * @param type the record the document binds to
 * @param rules checks the schema cannot express
 * @param versioned whether the document carries {@code schema_version} and follows {@link
 *     SchemaVersion}'s rule
 */
public record Contract<T>(
    String name, String schemaFile, Class<T> type, DocumentRules rules, boolean versioned) {

  public Contract {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schemaFile, "schemaFile");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(rules, "rules");
  }

  /** The schema's {@code $id}. */
  public String schemaId() {
    return SchemaCatalog.ID_PREFIX + schemaFile;
  }
}
