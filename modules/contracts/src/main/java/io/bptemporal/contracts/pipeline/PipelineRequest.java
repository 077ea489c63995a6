package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Input of {@link DataPipelineWorkflow}: extract from a source, validate and transform with a rule
 * set, load into a table by natural key (upsert), quarantine what fails the rules. Schema: {@code
 * pipeline-request/v1.json}.
 *
 * @param pipelineId identity of this load; workflow ID {@code pipeline:<pipeline_id>}
 * @param source what to read
 * @param targetTable table to upsert into, optionally schema-qualified, e.g. {@code
 *     analytics.orders}
 * @param naturalKey columns that identify a row in the target (the upsert's conflict target), at
 *     least one
 * @param ruleSet name of the validation/transformation rule set, e.g. {@code orders-v1}
 * @param batchSize records per database transaction, 1-10000, at most partitionSize; default 500
 * @param partitionSize records per partition (one heartbeating activity each), 1-10000000; default
 *     10000
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PipelineRequest(
    String pipelineId,
    SourceSpec source,
    String targetTable,
    List<String> naturalKey,
    String ruleSet,
    Integer batchSize,
    Integer partitionSize) {

  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final int DEFAULT_PARTITION_SIZE = 10_000;

  public PipelineRequest {
    Objects.requireNonNull(pipelineId, "pipeline_id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(targetTable, "target_table");
    naturalKey = List.copyOf(Objects.requireNonNull(naturalKey, "natural_key"));
    Objects.requireNonNull(ruleSet, "rule_set");
    batchSize = Objects.requireNonNullElse(batchSize, DEFAULT_BATCH_SIZE);
    partitionSize = Objects.requireNonNullElse(partitionSize, DEFAULT_PARTITION_SIZE);
  }
}
