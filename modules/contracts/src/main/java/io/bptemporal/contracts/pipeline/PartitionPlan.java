package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Result of {@code PlanPartitions}.
 *
 * @param pipelineId the load
 * @param totalRecords records in the source when it was counted
 * @param partitions the slices, in order, covering all records
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PartitionPlan(String pipelineId, long totalRecords, List<Partition> partitions) {

  public PartitionPlan {
    Objects.requireNonNull(pipelineId, "pipeline_id");
    partitions = List.copyOf(Objects.requireNonNullElse(partitions, List.of()));
  }
}
