package io.bptemporal.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.TaskInstance;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.validation.Contract;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.SchemaCatalog;
import io.bptemporal.contracts.validation.SchemaVersion;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.contracts.validation.Violations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one way to turn a JSON document into a contract record: parse, check against the JSON Schema,
 * check the rules a schema cannot express, and bind — reporting <em>every</em> violation at once,
 * each with its path, the offending value and what is accepted.
 *
 * <pre>{@code
 * ValidationResult<ActivityDefinition> result = ContractValidator.validateDefinition(json);
 * if (!result.valid()) {
 *     result.violations().forEach(v -> log.error("{}", v));   // $.trigger.cron[1]: hour field '24' ...
 * }
 * ActivityDefinition definition = result.orElseThrow();
 * }</pre>
 *
 * <p>Versioned documents (event envelope, activity definition) follow {@link SchemaVersion}'s rule:
 * an unknown major version is rejected with that single violation; a newer minor version is read,
 * and the fields this library does not know are ignored instead of being reported as unknown.
 *
 * <p>Thread-safe; the schemas are compiled once per JVM.
 */
public final class ContractValidator {

  private static final String SCHEMA_VERSION_FIELD = "schema_version";

  private ContractValidator() {}

  public static ValidationResult<EventEnvelope> validateEnvelope(String json) {
    return validate(Contracts.EVENT_ENVELOPE, json);
  }

  public static ValidationResult<ActivityDefinition> validateDefinition(String json) {
    return validate(Contracts.ACTIVITY_DEFINITION, json);
  }

  public static ValidationResult<TaskInstance> validateTaskInstance(String json) {
    return validate(Contracts.TASK_INSTANCE, json);
  }

  public static ValidationResult<PlaceOrder> validatePlaceOrder(String json) {
    return validate(Contracts.PLACE_ORDER, json);
  }

  public static ValidationResult<PipelineRequest> validatePipelineRequest(String json) {
    return validate(Contracts.PIPELINE_REQUEST, json);
  }

  public static ValidationResult<RunActivityRequest> validateRunActivityRequest(String json) {
    return validate(Contracts.RUN_ACTIVITY_REQUEST, json);
  }

  public static <T> ValidationResult<T> validate(Contract<T> contract, String json) {
    JsonNode document;
    try {
      document = Holder.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      return ValidationResult.invalid(
          contract.name(),
          List.of(
              new Violation(
                  "$",
                  "is not valid JSON" + where + ": " + e.getOriginalMessage(),
                  "one JSON object per document, without duplicate keys",
                  abbreviate(json))));
    }
    if (document == null || document.isMissingNode()) {
      return ValidationResult.invalid(
          contract.name(),
          List.of(new Violation("$", "is empty", "one JSON object", Violation.MISSING)));
    }
    return validate(contract, document);
  }

  public static <T> ValidationResult<T> validate(Contract<T> contract, JsonNode document) {
    if (contract.versioned()) {
      JsonNode version = document.path(SCHEMA_VERSION_FIELD);
      Optional<SchemaVersion> parsed =
          version.isTextual() ? SchemaVersion.parse(version.asText()) : Optional.empty();
      if (parsed.isPresent() && !parsed.get().readable()) {
        // The whole document may follow other rules: report only this, not a cascade of guesses.
        return ValidationResult.invalid(
            contract.name(),
            List.of(
                new Violation(
                    JsonPath.root().property(SCHEMA_VERSION_FIELD).value(),
                    parsed.get().unknownMajorMessage(),
                    SchemaVersion.ACCEPTED,
                    Violations.render(version))));
      }
    }

    // The schema check already ignores unknown fields of objects with a newer minor schema_version.
    List<Violation> violations =
        new ArrayList<>(Holder.CATALOG.check(contract.schemaFile(), document));
    Set<String> reportedPaths = new HashSet<>();
    violations.forEach(v -> reportedPaths.add(v.path()));
    Violations ruleViolations = new Violations();
    contract.rules().check(document, ruleViolations);
    for (Violation violation : ruleViolations.list()) {
      // A value the schema already rejected is reported once, by the schema.
      if (!reportedPaths.contains(violation.path())) {
        violations.add(violation);
      }
    }
    if (!violations.isEmpty()) {
      return ValidationResult.invalid(contract.name(), violations);
    }
    try {
      return ValidationResult.valid(
          contract.name(), Holder.MAPPER.treeToValue(document, contract.type()));
    } catch (JsonProcessingException e) {
      // Schema and record disagree: a bug in this module, but still reported as a violation, not
      // thrown.
      return ValidationResult.invalid(
          contract.name(),
          List.of(
              new Violation(
                  pathOf(e),
                  "cannot be read into "
                      + contract.type().getSimpleName()
                      + ": "
                      + e.getOriginalMessage(),
                  "a value of the type the schema describes",
                  "(see message)")));
    }
  }

  /**
   * Checks a record built in Java code against the same contract, e.g. an envelope before
   * publishing it. The result's value is the record as read back from its JSON.
   */
  public static <T> ValidationResult<T> validateRecord(Contract<T> contract, T record) {
    return validate(contract, Holder.MAPPER.valueToTree(record));
  }

  /**
   * The JSON Schemas, for callers that publish them (e.g. a registry UI) or feed them to another
   * tool.
   */
  public static SchemaCatalog schemas() {
    return Holder.CATALOG;
  }

  private static String pathOf(JsonProcessingException e) {
    JsonPath path = JsonPath.root();
    if (e instanceof JsonMappingException mapping) {
      for (JsonMappingException.Reference reference : mapping.getPath()) {
        path =
            reference.getFieldName() != null
                ? path.property(reference.getFieldName())
                : path.index(reference.getIndex());
      }
    }
    return path.value();
  }

  private static String abbreviate(String json) {
    String oneLine = json.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "…";
  }

  /** Lazily built so that merely referencing the records does not compile schemas. */
  private static final class Holder {
    static final ObjectMapper MAPPER = ContractJson.newObjectMapper();
    static final SchemaCatalog CATALOG = new SchemaCatalog();
  }
}
