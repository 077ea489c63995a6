package io.bptemporal.pipeline.etl;

import io.bptemporal.pipeline.load.PartitionCheckpoint;
import java.util.Optional;

/**
 * The partition loader's line to Temporal: the checkpoint of the previous attempt, and "still
 * alive, got here".
 */
public interface Heartbeat {

  /** The last checkpoint an earlier attempt of this activity heartbeated, if any. */
  Optional<PartitionCheckpoint> lastDetails();

  /**
   * Reports progress; throws when the activity must stop (cancelled, timed out, the worker is
   * shutting down), so the loader stops between batches, never inside one.
   */
  void beat(PartitionCheckpoint checkpoint);
}
