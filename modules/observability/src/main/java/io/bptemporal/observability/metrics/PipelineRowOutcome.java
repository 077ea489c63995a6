package io.bptemporal.observability.metrics;

/**
 * Label {@code outcome} of {@code bp_pipeline_rows_total}: what became of a row a pipeline batch read
 * (docs/contracts.md: read = loaded + quarantined).
 */
public enum PipelineRowOutcome {
  /** Upserted into the target table. */
  LOADED("loaded"),
  /** Rejected by validation or transformation and kept in the quarantine table with its reason. */
  QUARANTINED("quarantined");

  private final String label;

  PipelineRowOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
