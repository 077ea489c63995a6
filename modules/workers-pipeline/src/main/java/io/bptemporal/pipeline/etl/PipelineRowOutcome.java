package io.bptemporal.pipeline.etl;

import io.bptemporal.observability.metrics.MetricLabel;

/**
 * Label {@code outcome} of {@code bp_pipeline_rows_total}: what became of a row a pipeline batch
 * read (docs/contracts.md: read = loaded + quarantined).
 */
public enum PipelineRowOutcome implements MetricLabel {
  /** Upserted into the target table. */
  LOADED("loaded"),
  /** Rejected by validation or transformation and kept in the quarantine table with its reason. */
  QUARANTINED("quarantined");

  private final String label;

  PipelineRowOutcome(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }
}
