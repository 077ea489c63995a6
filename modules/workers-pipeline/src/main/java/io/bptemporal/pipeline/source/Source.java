package io.bptemporal.pipeline.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Where a pipeline reads records from, in a stable order: the plan cuts {@code [0, count())} into
 * partitions and each partition opens its own reader at its first offset. Implementations: {@link
 * NdjsonFileSource}, {@link CsvFileSource}, {@link PostgresQuerySource}; {@link SourceCatalog}
 * picks one per {@link io.bptemporal.contracts.pipeline.SourceType}.
 *
 * <p>Errors: a problem no retry can fix (missing file, bad query) is a {@link
 * io.bptemporal.pipeline.PipelineSetupException}; anything else (I/O, a lost connection) is
 * retried.
 */
public interface Source extends AutoCloseable {

  /**
   * What is read, for log lines and error messages, e.g. {@code NDJSON file
   * /data/in/customers.ndjson}.
   */
  String describe();

  /** Number of records in the source now. */
  long count();

  /**
   * A reader positioned at record {@code offset}.
   *
   * @param cursor a position an earlier reader of the same source returned from {@link
   *     RecordReader#cursor()} for this offset; a source that can seek (a keyset) continues there
   *     instead of skipping records
   */
  RecordReader open(long offset, Optional<JsonNode> cursor);

  @Override
  void close();
}
