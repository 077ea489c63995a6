package io.bptemporal.pipeline.etl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import java.util.List;
import java.util.Objects;

/**
 * Input of {@link PartitionGroupWorkflow}: some consecutive partitions of one pipeline.
 *
 * @param request the pipeline's request
 * @param partitions the partitions this child loads
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PartitionGroup(PipelineRequest request, List<Partition> partitions) {
  public PartitionGroup {
    Objects.requireNonNull(request, "request");
    partitions = List.copyOf(partitions);
  }
}
