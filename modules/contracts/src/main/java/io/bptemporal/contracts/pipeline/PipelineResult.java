package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Result of {@link DataPipelineWorkflow}. {@code read = loaded + quarantined}.
 *
 * @param pipelineId the load
 * @param read records read from the source
 * @param loaded records upserted into the target
 * @param quarantined records that failed the rule set, kept with their reasons
 * @param partitions partitions processed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PipelineResult(
    String pipelineId, long read, long loaded, long quarantined, int partitions) {

  public PipelineResult {
    Objects.requireNonNull(pipelineId, "pipeline_id");
  }
}
