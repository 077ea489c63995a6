package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Input of {@code LoadPartition}: extract, transform and load one partition in batches,
 * heartbeating a {@link BatchCheckpoint} after each batch so that a retry resumes after the last
 * committed batch.
 *
 * @param request the pipeline's request (source, target, key, rule set, batch size)
 * @param partition the slice to load
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoadPartition(PipelineRequest request, Partition partition) {

  public LoadPartition {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(partition, "partition");
  }
}
