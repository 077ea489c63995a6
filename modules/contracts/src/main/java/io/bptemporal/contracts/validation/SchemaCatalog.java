package io.bptemporal.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.regex.RegularExpression;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JSON Schemas shipped in this jar, and the translation of a schema validator's findings into
 * {@link Violation}s that say what is accepted in words.
 *
 * <p>A schema may annotate a property with {@value #ACCEPTED_KEYWORD}: a sentence a user can act on
 * ("lowercase letters, digits, '.', '_' and '-', 1-100 characters"). Violations use it in
 * preference to the bare keyword (a regular expression is not an explanation).
 */
public final class SchemaCatalog {

  /**
   * Prefix of every schema's {@code $id}; the ids are names, nothing is fetched from the network.
   */
  public static final String ID_PREFIX = "https://bp-temporal.io/schemas/";

  public static final String RESOURCE_DIRECTORY = "io/bptemporal/contracts/schemas/";

  /** Schema annotation with the human description of what a value may be. */
  public static final String ACCEPTED_KEYWORD = "x-accepted";

  /** Message of a field the schema does not declare. */
  public static final String UNKNOWN_FIELD = "is not a known field";

  private final SchemaRegistry registry;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, JsonNode> rawSchemas = new ConcurrentHashMap<>();
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  public SchemaCatalog() {
    Dialect dialect =
        Dialect.builder(Dialects.getDraft202012())
            .keyword(new AnnotationKeyword(ACCEPTED_KEYWORD))
            .build();
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            // "format" is only an annotation by default in 2020-12; our timestamps must really be
            // RFC 3339.
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(SchemaCatalog::ecmaAnchoredPattern)
            .build();
    this.registry =
        SchemaRegistry.withDefaultDialect(
            dialect,
            builder ->
                builder
                    .schemaRegistryConfig(config)
                    .schemaIdResolvers(
                        ids -> ids.mapPrefix(ID_PREFIX, "classpath:" + RESOURCE_DIRECTORY)));
  }

  /** The schema document itself, as shipped (for tools that want to publish or inspect it). */
  public JsonNode schemaDocument(String schemaFile) {
    return rawSchemas
        .computeIfAbsent(ID_PREFIX + schemaFile, id -> readResource(schemaFile))
        .deepCopy();
  }

  /** Checks the document against the schema and returns one violation per finding. */
  public List<Violation> check(String schemaFile, JsonNode document) {
    Schema schema =
        compiled.computeIfAbsent(
            schemaFile, file -> registry.getSchema(SchemaLocation.of(ID_PREFIX + file)));
    List<Violation> violations = new ArrayList<>();
    for (Error error : schema.validate(document)) {
      if (!isNewerMinorField(document, error)) {
        violations.add(translate(error));
      }
    }
    return violations;
  }

  /**
   * The versioning rule: inside an object that declares a newer minor {@code schema_version} than
   * this library knows, unknown fields may have been added by that version; they are ignored, not
   * reported.
   */
  private static boolean isNewerMinorField(JsonNode document, Error error) {
    if (!"additionalProperties".equals(error.getKeyword())
        && !"unevaluatedProperties".equals(error.getKeyword())) {
      return false;
    }
    NodePath location = error.getInstanceLocation();
    JsonNode node = document;
    for (int i = 0; ; i++) {
      JsonNode version = node.path("schema_version");
      if (version.isTextual()
          && SchemaVersion.parse(version.asText()).map(SchemaVersion::newerMinor).orElse(false)) {
        return true;
      }
      if (i == location.getNameCount()) {
        return false;
      }
      Object element = location.getElement(i);
      node =
          element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
    }
  }

  private Violation translate(Error error) {
    JsonPath at = toJsonPath(error.getInstanceLocation());
    SchemaNode keywordOwner = schemaNodeOwning(error.getSchemaLocation());
    JsonNode keywordValue = error.getSchemaNode();
    JsonNode instance = error.getInstanceNode();
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    String accepted = describe(keywordOwner);
    String found = Violations.render(instance);
    return switch (keyword) {
      case "required" -> {
        String property = error.getProperty();
        JsonNode declared = keywordOwner.node().path("properties").path(property);
        // A conditional "then": {"required": [...]} declares no properties; its own annotation
        // explains it.
        String what =
            declared.isMissingNode() ? accepted : describe(keywordOwner.resolve(declared));
        yield new Violation(at.property(property).value(), "is required", what, Violation.MISSING);
      }
      case "additionalProperties", "unevaluatedProperties" -> {
        String property = error.getProperty();
        String known =
            keywordOwner
                .node()
                .path("properties")
                .propertyStream()
                .map(Map.Entry::getKey)
                .collect(Collectors.joining(", "));
        yield new Violation(
            at.property(property).value(),
            UNKNOWN_FIELD,
            known.isEmpty() ? "no fields" : "the known fields: " + known,
            Violations.render(instance.path(property)));
      }
      case "type" ->
          new Violation(
              at.value(),
              "must be " + typeWords(keywordValue) + ", not " + instanceTypeWords(instance),
              accepted,
              found);
      case "enum" ->
          new Violation(
              at.value(),
              "is not one of the accepted values",
              "one of " + enumWords(keywordValue),
              found);
      case "const" -> new Violation(at.value(), "must be exactly " + keywordValue, accepted, found);
      case "pattern" ->
          new Violation(at.value(), "does not have the accepted format", accepted, found);
      case "format" ->
          new Violation(at.value(), "is not a valid " + keywordValue.asText(), accepted, found);
      case "minLength" ->
          new Violation(
              at.value(), "is shorter than " + keywordValue + " character(s)", accepted, found);
      case "maxLength" ->
          new Violation(
              at.value(), "is longer than " + keywordValue + " characters", accepted, found);
      case "minimum" -> new Violation(at.value(), "is less than " + keywordValue, accepted, found);
      case "maximum" ->
          new Violation(at.value(), "is greater than " + keywordValue, accepted, found);
      case "minItems" ->
          new Violation(at.value(), "has fewer than " + keywordValue + " item(s)", accepted, found);
      case "maxItems" ->
          new Violation(at.value(), "has more than " + keywordValue + " items", accepted, found);
      case "uniqueItems" -> new Violation(at.value(), "has duplicate items", accepted, found);
      case "minProperties" ->
          new Violation(
              at.value(), "has fewer than " + keywordValue + " field(s)", accepted, found);
      default -> new Violation(at.value(), error.getMessage(), accepted, found);
    };
  }

  /**
   * What the schema accepts at this node, in words: its annotation, else a summary of its keywords.
   */
  private static String describe(SchemaNode located) {
    JsonNode schema = located.node();
    JsonNode accepted = schema.path(ACCEPTED_KEYWORD);
    if (accepted.isTextual()) {
      return accepted.asText();
    }
    List<String> parts = new ArrayList<>();
    if (schema.has("enum")) {
      parts.add("one of " + enumWords(schema.get("enum")));
    } else if (schema.has("type")) {
      parts.add(typeWords(schema.get("type")));
    }
    if (schema.has("format")) {
      parts.add("in " + schema.get("format").asText() + " format");
    }
    if (schema.has("minimum")) {
      parts.add(">= " + schema.get("minimum"));
    }
    if (schema.has("maximum")) {
      parts.add("<= " + schema.get("maximum"));
    }
    if (schema.has("minLength")) {
      parts.add("at least " + schema.get("minLength") + " character(s)");
    }
    if (schema.has("maxLength")) {
      parts.add("at most " + schema.get("maxLength") + " characters");
    }
    if (schema.has("minItems")) {
      parts.add("at least " + schema.get("minItems") + " item(s)");
    }
    if (schema.has("pattern")) {
      parts.add("matching " + schema.get("pattern").asText());
    }
    return parts.isEmpty() ? "see the schema" : String.join(", ", parts);
  }

  /** The "type" keyword's value in words: "a string", "an integer or null". */
  private static String typeWords(JsonNode type) {
    if (type.isArray()) {
      List<String> words = new ArrayList<>();
      type.forEach(each -> words.add(typeWords(each)));
      return String.join(" or ", words);
    }
    return switch (type.asText()) {
      case "object" -> "an object";
      case "array" -> "an array";
      case "integer" -> "an integer";
      case "null" -> "null";
      default -> "a " + type.asText();
    };
  }

  /** The JSON type of a value in words. */
  private static String instanceTypeWords(JsonNode instance) {
    if (instance == null || instance.isMissingNode()) {
      return "absent";
    }
    return switch (instance.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> instance.isIntegralNumber() ? "an integer" : "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> instance.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String enumWords(JsonNode values) {
    List<String> words = new ArrayList<>();
    values.forEach(value -> words.add(value.isTextual() ? value.asText() : value.toString()));
    return String.join(", ", words);
  }

  private static JsonPath toJsonPath(NodePath location) {
    JsonPath path = JsonPath.root();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Integer index
              ? path.index(index)
              : path.property(String.valueOf(element));
    }
    return path;
  }

  /**
   * The schema object that contains the failing keyword (the keyword's location minus its last
   * step).
   */
  private SchemaNode schemaNodeOwning(SchemaLocation keywordLocation) {
    String id = String.valueOf(keywordLocation.getAbsoluteIri());
    if (!id.startsWith(ID_PREFIX)) {
      return new SchemaNode(mapper.missingNode(), mapper.missingNode());
    }
    JsonNode document = rawSchema(id);
    JsonNode node = document;
    NodePath fragment = keywordLocation.getFragment();
    for (int i = 0; i < fragment.getNameCount() - 1; i++) {
      Object element = fragment.getElement(i);
      node =
          element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
    }
    return new SchemaNode(document, node);
  }

  private JsonNode rawSchema(String id) {
    return rawSchemas.computeIfAbsent(id, key -> readResource(key.substring(ID_PREFIX.length())));
  }

  /**
   * A node of one of our schema documents, with the document it belongs to (for resolving "$ref").
   */
  private final class SchemaNode {
    private final JsonNode document;
    private final JsonNode node;

    SchemaNode(JsonNode document, JsonNode node) {
      this.document = document;
      this.node = node;
    }

    JsonNode node() {
      return node;
    }

    /**
     * Follows "$ref" (local "#/$defs/x" or another of our schemas) to the schema that says
     * something.
     */
    SchemaNode resolve(JsonNode schema) {
      JsonNode currentDocument = document;
      JsonNode current = schema;
      for (int hops = 0; hops < 8 && current.path("$ref").isTextual(); hops++) {
        String ref = current.path("$ref").asText();
        int hash = ref.indexOf('#');
        String target = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        if (!target.isEmpty()) {
          if (!target.startsWith(ID_PREFIX)) {
            break;
          }
          currentDocument = rawSchema(target);
        }
        current = pointer.isEmpty() ? currentDocument : currentDocument.at(pointer);
      }
      return new SchemaNode(currentDocument, current);
    }
  }

  private JsonNode readResource(String schemaFile) {
    try (InputStream in =
        SchemaCatalog.class.getClassLoader().getResourceAsStream(RESOURCE_DIRECTORY + schemaFile)) {
      if (in == null) {
        throw new IllegalStateException(
            "schema " + RESOURCE_DIRECTORY + schemaFile + " is not on the classpath");
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + schemaFile, e);
    }
  }

  /**
   * JSON Schema patterns are ECMA-262, where a final {@code $} matches only at the very end of the
   * input. java.util.regex's {@code $} also matches before a trailing line break, so "abc\n" would
   * pass {@code ^[a-z]+$}; rewriting a final {@code $} to {@code \z} restores the ECMA meaning.
   */
  private static RegularExpression ecmaAnchoredPattern(String regex) {
    String java =
        regex.endsWith("$") && !regex.endsWith("\\$")
            ? regex.substring(0, regex.length() - 1) + "\\z"
            : regex;
    Pattern pattern = Pattern.compile(java);
    return input -> pattern.matcher(input).find();
  }
}
