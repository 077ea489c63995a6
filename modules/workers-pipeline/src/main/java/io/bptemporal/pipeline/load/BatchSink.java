package io.bptemporal.pipeline.load;

import java.util.Optional;

/**
 * Where a partition's batches go: rows upserted by natural key, rejected records quarantined, and
 * the new checkpoint, all in one transaction, so that what is committed and the checkpoint never
 * disagree.
 */
public interface BatchSink extends AutoCloseable {

  /**
   * The checkpoint committed last under {@code checkpointKey} (an earlier attempt of the same
   * activity).
   */
  Optional<PartitionCheckpoint> checkpoint(String checkpointKey);

  /**
   * Commits {@code batch} after {@code previous}; returns the new checkpoint. The sink may
   * quarantine rows the target refuses (a constraint, a value too long), so the counts come from
   * here, not from the batch.
   */
  PartitionCheckpoint commit(String checkpointKey, PartitionCheckpoint previous, LoadBatch batch);

  @Override
  void close();
}
