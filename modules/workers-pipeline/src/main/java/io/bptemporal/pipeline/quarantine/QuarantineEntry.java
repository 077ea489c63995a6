package io.bptemporal.pipeline.quarantine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.pipeline.source.FieldValues;
import io.bptemporal.pipeline.source.SourceRecord;
import io.bptemporal.pipeline.transform.RuleViolation;
import io.bptemporal.pipeline.transform.Transformed;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A record on its way to {@code pipeline_quarantine}.
 *
 * @param pipelineId the load it belongs to
 * @param sourceOffset its position in source order (with pipelineId, the row's key)
 * @param partitionIndex the partition that read it
 * @param position where a person finds it ({@code file:line}, a row key)
 * @param violations every reason, at least one
 * @param record the fields as read, when the record could be parsed
 * @param raw the record as read
 */
public record QuarantineEntry(
    String pipelineId,
    long sourceOffset,
    int partitionIndex,
    String position,
    List<RuleViolation> violations,
    Optional<ObjectNode> record,
    String raw) {

  public QuarantineEntry {
    Objects.requireNonNull(pipelineId, "pipelineId");
    Objects.requireNonNull(position, "position");
    violations = List.copyOf(violations);
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a quarantined record needs a reason");
    }
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(raw, "raw");
  }

  public static QuarantineEntry of(
      String pipelineId, int partitionIndex, Transformed.Rejected rejected) {
    return of(pipelineId, partitionIndex, rejected.source(), rejected.violations());
  }

  public static QuarantineEntry of(
      String pipelineId, int partitionIndex, SourceRecord source, List<RuleViolation> violations) {
    Optional<ObjectNode> fields =
        source.unreadable().isPresent()
            ? Optional.empty()
            : Optional.of(FieldValues.toJson(source.fields()));
    return new QuarantineEntry(
        pipelineId,
        source.offset(),
        partitionIndex,
        source.position(),
        violations,
        fields,
        source.raw());
  }

  /** Every reason on one line. */
  public String reason() {
    return String.join("; ", violations.stream().map(RuleViolation::toString).toList());
  }
}
