package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A slice of the source: records {@code [offset, offset + limit)} in source order.
 *
 * @param index 0-based position among the partitions
 * @param offset first record (0-based)
 * @param limit number of records
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Partition(int index, long offset, long limit) {}
