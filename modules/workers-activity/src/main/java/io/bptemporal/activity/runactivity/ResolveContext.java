package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.runactivity.CreateTasks;
import java.util.Objects;

/**
 * Input of {@code ResolveContext}: the run as {@code CreateTasks} will receive it, and whether the
 * row is enabled (a disabled row's run is audited as skipped).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResolveContext(CreateTasks run, boolean enabled) {
  public ResolveContext {
    Objects.requireNonNull(run, "run");
  }
}
