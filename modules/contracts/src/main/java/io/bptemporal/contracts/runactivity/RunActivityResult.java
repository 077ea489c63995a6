package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Result of {@link RunActivityWorkflow}.
 *
 * @param activityId the activity
 * @param runKey the run's identity, e.g. {@code nightly-export:2026-11-21T00:00:00Z} or {@code
 *     invoice-sync:event:<event_id>}; prefix of every task key
 * @param definitionVersion the revision of the registry row that was run
 * @param contextHash {@code sha256:<64 hex>} over what the run was given (definition revision,
 *     input, scheduled time or event, compressed window): equal hashes mean an equal run
 * @param taskKeys keys of the task instances the run produced, in order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunActivityResult(
    String activityId,
    String runKey,
    long definitionVersion,
    String contextHash,
    List<String> taskKeys) {

  public RunActivityResult {
    Objects.requireNonNull(activityId, "activity_id");
    Objects.requireNonNull(runKey, "run_key");
    Objects.requireNonNull(contextHash, "context_hash");
    taskKeys = List.copyOf(Objects.requireNonNullElse(taskKeys, List.of()));
  }
}
