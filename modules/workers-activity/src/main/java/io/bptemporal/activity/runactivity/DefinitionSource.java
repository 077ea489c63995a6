package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Where RunActivity reads an activity's definition: the activity registry, owned by the scheduler.
 * Returns the row as an ActivityDefinition document, unchecked (the registry stores rows that break
 * the contract, so that the scheduler can report them; {@code LoadDefinition} checks it with the
 * contract validator).
 */
public interface DefinitionSource {

  /** The current revision of the row, or empty when the registry has no such row. */
  Optional<ObjectNode> current(String activityId);

  /** For messages, e.g. {@code the activity registry at jdbc:postgresql://db:5432/registry}. */
  String describe();
}
