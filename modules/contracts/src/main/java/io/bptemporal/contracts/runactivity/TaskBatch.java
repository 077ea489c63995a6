package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Result of {@code CreateTasks}.
 *
 * @param runKey the run
 * @param contextHash {@code sha256:<64 hex>} over the run's inputs, see {@link RunActivityResult}
 * @param taskKeys keys of the run's task instances, in order
 * @param created how many were new (the rest existed from an earlier attempt)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskBatch(String runKey, String contextHash, List<String> taskKeys, int created) {

  public TaskBatch {
    Objects.requireNonNull(runKey, "run_key");
    Objects.requireNonNull(contextHash, "context_hash");
    taskKeys = List.copyOf(Objects.requireNonNullElse(taskKeys, List.of()));
  }
}
