package io.bptemporal.contracts.pipeline;

/** Where a pipeline reads from. */
public enum SourceType {
  /** A file of one JSON object per line; {@code location} is its path or URL. */
  NDJSON,
  /** A CSV file with a header row; {@code location} is its path or URL. */
  CSV,
  /** A PostgreSQL query; {@code query} is the SELECT, {@code location} an optional JDBC URL. */
  POSTGRES
}
