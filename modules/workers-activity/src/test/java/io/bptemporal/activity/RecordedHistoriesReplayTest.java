package io.bptemporal.activity;

import io.bptemporal.activity.runactivity.RunActivityWorkflowImpl;
import io.bptemporal.activity.subject.SmallRunsSubjectEvents;
import io.bptemporal.devstack.junit.RecordedHistories;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every committed history of RunActivity and SubjectEvents (src/test/resources/histories/<type>,
 * recorded on the real server by `make record-histories`) replays on the current code without a
 * non-determinism error: docs/operations/replay-safety.md.
 *
 * <p>SubjectEvents histories are recorded by SubjectEventsIT with {@link SmallRunsSubjectEvents}
 * (the production code, continuing as new after 3 events instead of 500, so that a recording with a
 * continue-as-new stays small) and are replayed with it.
 */
class RecordedHistoriesReplayTest {

  @TestFactory
  Stream<DynamicTest> everyRecordedHistoryReplaysOnTheCurrentCode() {
    return RecordedHistories.replayTests(
        RunActivityWorkflowImpl.class, SmallRunsSubjectEvents.class);
  }
}
