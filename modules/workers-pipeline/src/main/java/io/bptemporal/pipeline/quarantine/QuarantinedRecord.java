package io.bptemporal.pipeline.quarantine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A row of {@code pipeline_quarantine} as read back (runbook queries, the demo, tests).
 *
 * @param rules the rules that rejected the record, e.g. {@code customers-v1/email.format}
 */
public record QuarantinedRecord(
    String pipelineId,
    long sourceOffset,
    int partitionIndex,
    String position,
    String reason,
    List<String> rules,
    String raw,
    Instant quarantinedAt,
    Optional<Instant> resolvedAt,
    Optional<String> resolution) {

  public QuarantinedRecord {
    rules = List.copyOf(rules);
  }
}
