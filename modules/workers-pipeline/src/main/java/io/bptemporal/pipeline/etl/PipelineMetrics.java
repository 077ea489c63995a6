package io.bptemporal.pipeline.etl;

import io.bptemporal.observability.metrics.CounterFamily;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pipeline worker's catalogued metrics (docs/operations/metrics-catalog.yaml, {@code source:
 * platform}), declared here rather than in the shared observability module, which holds only the
 * registry and the conventions. The system tests' catalog check (tests/, {@code
 * PlatformMetricsCatalogTest}) records through this class and compares what it exposes with the
 * catalog.
 *
 * <p>RunActivity (package {@code io.bptemporal.pipeline.runactivity}) records no platform metric
 * today. When it gets one, it belongs in a class like this one in RunActivity's own module, added
 * to the system tests' catalog check, not here.
 */
public final class PipelineMetrics implements PipelineRowMetrics {
  public static final String PIPELINE_ROWS = "bp_pipeline_rows_total";

  private final CounterFamily<PipelineRowOutcome> rows;

  public PipelineMetrics(MeterRegistry registry) {
    this.rows =
        CounterFamily.of(
            registry,
            PIPELINE_ROWS,
            "Rows a pipeline batch read, by what became of them",
            "outcome",
            PipelineRowOutcome.class);
  }

  /** Adds {@code rows} to {@code bp_pipeline_rows_total{outcome}}. */
  @Override
  public void rows(PipelineRowOutcome outcome, long rows) {
    this.rows.add(outcome, rows);
  }
}
