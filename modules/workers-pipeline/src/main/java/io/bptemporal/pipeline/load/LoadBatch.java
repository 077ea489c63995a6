package io.bptemporal.pipeline.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.pipeline.quarantine.QuarantineEntry;
import io.bptemporal.pipeline.transform.Transformed;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of a partition, transformed and ready to commit in one transaction.
 *
 * @param firstOffset offset of the batch's first record
 * @param nextOffset offset after its last record
 * @param rows the accepted records, in source order
 * @param rejected the records to quarantine, in source order
 * @param cursor the source's cursor after the batch
 */
public record LoadBatch(
    long firstOffset,
    long nextOffset,
    List<Transformed.Accepted> rows,
    List<QuarantineEntry> rejected,
    Optional<JsonNode> cursor) {

  public LoadBatch {
    rows = List.copyOf(rows);
    rejected = List.copyOf(rejected);
    Objects.requireNonNull(cursor, "cursor");
    if (rows.size() + rejected.size() != nextOffset - firstOffset) {
      throw new IllegalArgumentException(
          "batch ["
              + firstOffset
              + ", "
              + nextOffset
              + ") has "
              + rows.size()
              + " rows and "
              + rejected.size()
              + " rejected records");
    }
  }
}
