package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Result of {@code ResolveContext}. The document itself stays in {@code activity_run.context} (the
 * workflow's history keeps only its hash and the fact names, so a large context never bloats it).
 *
 * @param contextHash {@code sha256:<hex>} of the snapshot
 * @param factNames the facts it holds
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContextSnapshot(String contextHash, List<String> factNames) {
  public ContextSnapshot {
    Objects.requireNonNull(contextHash, "contextHash");
    factNames = List.copyOf(factNames);
  }
}
