package io.bptemporal.pipeline.etl;

/**
 * Counts rows by outcome after each committed batch ({@code bp_pipeline_rows_total}); the worker
 * passes {@link PipelineMetrics}. A batch re-done after a crash before its commit is not counted
 * twice: counting happens after the commit, and a retry resumes after the last commit.
 */
@FunctionalInterface
public interface PipelineRowMetrics {
  PipelineRowMetrics NONE = (outcome, rows) -> {};

  void rows(PipelineRowOutcome outcome, long rows);
}
