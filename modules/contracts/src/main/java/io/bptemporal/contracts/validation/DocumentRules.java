package io.bptemporal.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The checks of a contract that a JSON Schema cannot express (cron syntax, IANA zones, one field
 * relative to another). Runs after the schema on the same parsed tree and must tolerate a document
 * the schema already rejected: a rule only looks at values of the type it expects.
 */
@FunctionalInterface
public interface DocumentRules {

  DocumentRules NONE = (document, violations) -> {};

  void check(JsonNode document, Violations violations);
}
