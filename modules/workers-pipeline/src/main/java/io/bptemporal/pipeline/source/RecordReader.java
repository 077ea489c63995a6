package io.bptemporal.pipeline.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** Reads records of a {@link Source} in order, a batch at a time. */
public interface RecordReader extends AutoCloseable {

  /** Up to {@code max} next records; fewer only at the end of the source, none after it. */
  List<SourceRecord> read(int max);

  /**
   * Where the next {@link #read(int)} continues, as a source-specific JSON value stored with the
   * checkpoint (empty for sources that find an offset by reading up to it).
   */
  Optional<JsonNode> cursor();

  @Override
  void close();
}
