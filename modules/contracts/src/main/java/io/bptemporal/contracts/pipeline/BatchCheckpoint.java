package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Heartbeat details of {@code LoadPartition}: progress committed so far. A retried attempt reads
 * the last checkpoint and continues at {@code next_offset}; the counts continue from the
 * checkpoint's.
 *
 * @param partitionIndex the partition
 * @param nextOffset first record not yet committed (absolute, not relative to the partition)
 * @param read records read and committed so far in this partition
 * @param loaded records loaded so far in this partition
 * @param quarantined records quarantined so far in this partition
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BatchCheckpoint(
    int partitionIndex, long nextOffset, long read, long loaded, long quarantined) {}
