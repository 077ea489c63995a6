package io.bptemporal.pipeline.etl;

import io.bptemporal.devstack.junit.RecordedHistories;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every committed history of the pipeline and its partition-group children
 * (src/test/resources/histories/<type>, recorded on the real server by `make record-histories`)
 * replays on the current code without a non-determinism error: docs/operations/replay-safety.md.
 */
class RecordedHistoriesReplayTest {

  @TestFactory
  Stream<DynamicTest> everyRecordedHistoryReplaysOnTheCurrentCode() {
    return RecordedHistories.replayTests(
        DataPipelineWorkflowImpl.class, PartitionGroupWorkflowImpl.class);
  }
}
