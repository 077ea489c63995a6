package io.bptemporal.registry.taskrules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A task the rules produced, before it has a key.
 *
 * @param kind its kind, e.g. {@code export.partition}
 * @param ordinal its number among the run's tasks of this kind, from 0
 * @param payload its parameters
 */
public record PlannedTask(String kind, int ordinal, ObjectNode payload) {
  public PlannedTask {
    Objects.requireNonNull(kind, "kind");
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
  }

  @Override
  public ObjectNode payload() {
    return payload.deepCopy();
  }
}
