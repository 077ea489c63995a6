package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.activity.ActivityDefinition;
import java.util.Objects;

/**
 * Result of {@code LoadDefinition}: the row as it was read, so the workflow's history records
 * exactly which revision the run used.
 *
 * @param definition the registry row
 * @param enabled whether the row is currently enabled and not paused (a run of a disabled row ends
 *     without tasks)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DefinitionSnapshot(ActivityDefinition definition, boolean enabled) {

  public DefinitionSnapshot {
    Objects.requireNonNull(definition, "definition");
  }
}
