package io.bptemporal.pipeline.transform;

import io.bptemporal.pipeline.source.SourceRecord;
import java.util.List;

/** What a rule set made of a record: a row to load or the reasons to quarantine it. */
public sealed interface Transformed {

  SourceRecord source();

  /**
   * A row for the target.
   *
   * @param values one value per column of the transformer, in its column order, already of the
   *     column's type
   */
  record Accepted(SourceRecord source, List<Object> values) implements Transformed {}

  /** Rejected with at least one violation. */
  record Rejected(SourceRecord source, List<RuleViolation> violations) implements Transformed {
    public Rejected {
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("a rejected record needs a reason");
      }
    }

    /** All reasons on one line, for the quarantine's {@code reason} column and logs. */
    public String reason() {
      return String.join("; ", violations.stream().map(RuleViolation::toString).toList());
    }
  }
}
