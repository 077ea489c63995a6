package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Answer of the pipeline's {@code progress} query; counts cover finished partitions only.
 *
 * @param pipelineId the load
 * @param phase where it stands
 * @param partitionsTotal partitions planned (0 while planning)
 * @param partitionsDone partitions finished
 * @param read records read so far
 * @param loaded records loaded so far
 * @param quarantined records quarantined so far
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PipelineProgress(
    String pipelineId,
    PipelinePhase phase,
    int partitionsTotal,
    int partitionsDone,
    long read,
    long loaded,
    long quarantined) {

  public PipelineProgress {
    Objects.requireNonNull(pipelineId, "pipeline_id");
    Objects.requireNonNull(phase, "phase");
  }
}
