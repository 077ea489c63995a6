package io.bptemporal.pipeline.etl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.pipeline.PartitionResult;
import java.util.List;

/** Result of {@link PartitionGroupWorkflow}: one result per partition, by partition index. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PartitionGroupResult(List<PartitionResult> results) {
  public PartitionGroupResult {
    results = List.copyOf(results);
  }
}
