package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Result of {@code LoadPartition}.
 *
 * @param partitionIndex the partition
 * @param read records read
 * @param loaded records upserted
 * @param quarantined records quarantined
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PartitionResult(int partitionIndex, long read, long loaded, long quarantined) {}
