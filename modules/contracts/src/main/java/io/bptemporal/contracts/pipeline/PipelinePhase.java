package io.bptemporal.contracts.pipeline;

/** Where a data pipeline run stands. */
public enum PipelinePhase {
  /** Counting the source and cutting it into partitions. */
  PLANNING,
  /** Partitions are being extracted, transformed and loaded. */
  LOADING,
  COMPLETED,
  FAILED
}
