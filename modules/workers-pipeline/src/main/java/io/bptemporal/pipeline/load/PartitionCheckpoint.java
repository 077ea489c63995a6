package io.bptemporal.pipeline.load;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.pipeline.BatchCheckpoint;
import java.util.Objects;
import java.util.Optional;

/**
 * Progress of one partition after its last committed batch: the contract's {@link BatchCheckpoint}
 * plus the source's cursor. It is both the activity's heartbeat details (read back as a {@code
 * BatchCheckpoint} by anyone who knows only the contract: the extra field is ignored) and the row
 * in {@code pipeline_checkpoint}.
 *
 * @param cursor where the source continues after {@code next_offset} (a keyset's last key), when it
 *     can seek
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record PartitionCheckpoint(
    int partitionIndex,
    long nextOffset,
    long read,
    long loaded,
    long quarantined,
    Optional<JsonNode> cursor) {

  public PartitionCheckpoint {
    cursor = Objects.requireNonNullElse(cursor, Optional.empty());
    if (read != loaded + quarantined) {
      throw new IllegalArgumentException(
          "checkpoint of partition "
              + partitionIndex
              + " has read "
              + read
              + " != loaded "
              + loaded
              + " + quarantined "
              + quarantined);
    }
  }

  /** Nothing committed yet: the partition starts at its first offset. */
  public static PartitionCheckpoint start(int partitionIndex, long offset) {
    return new PartitionCheckpoint(partitionIndex, offset, 0, 0, 0, Optional.empty());
  }

  /** After a batch of {@code records} records ending before {@code nextOffset}. */
  public PartitionCheckpoint after(
      long newNextOffset, long newlyLoaded, long newlyQuarantined, Optional<JsonNode> newCursor) {
    return new PartitionCheckpoint(
        partitionIndex,
        newNextOffset,
        read + newlyLoaded + newlyQuarantined,
        loaded + newlyLoaded,
        quarantined + newlyQuarantined,
        newCursor);
  }

  public BatchCheckpoint toContract() {
    return new BatchCheckpoint(partitionIndex, nextOffset, read, loaded, quarantined);
  }
}
