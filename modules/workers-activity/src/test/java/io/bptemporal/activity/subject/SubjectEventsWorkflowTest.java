package io.bptemporal.activity.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityResult;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.runactivity.SubjectEventCounts;
import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SubjectEventsWorkflow in the SDK's in-memory environment (time skipping), with a RunActivity
 * stand-in that records which runs it was started for: order, de-duplication, runs that exist or
 * fail, continue-as-new, signals around a close, the idle timeout, replay.
 */
class SubjectEventsWorkflowTest {
  private static final String ACTIVITY = "invoice-sync";
  private static final String SUBJECT = "order/o-1001";
  private static final String ID = WorkflowIds.subjectEvents(ACTIVITY, SUBJECT);

  /** Queue of the workflow with the production threshold; SMALL_RUNS continues after 3 events. */
  private static final String QUEUE = SubjectEventsWorkflow.TASK_QUEUE;

  private static final String SMALL_RUNS = "small-runs";

  /** Runs IDs of the stand-in, in the order the runs started (not counting replays). */
  static final List<String> RUNS = Collections.synchronizedList(new ArrayList<>());

  /**
   * RunActivity's stand-in: {@code sleep_seconds} in the payload keeps the run open that long,
   * {@code fail: true} fails it.
   */
  public static final class RecordingRunActivity implements RunActivityWorkflow {
    @Override
    public RunActivityResult run(RunActivityRequest request) {
      EventEnvelope event = request.triggerEvent().orElseThrow();
      String runId = Workflow.getInfo().getWorkflowId();
      if (!WorkflowUnsafe.isReplaying()) {
        RUNS.add(runId);
      }
      ObjectNode payload = event.payload();
      if (payload.has("sleep_seconds")) {
        Workflow.sleep(Duration.ofSeconds(payload.get("sleep_seconds").asLong()));
      }
      if (payload.path("fail").asBoolean()) {
        throw ApplicationFailure.newNonRetryableFailure("the run failed", "TestFailure");
      }
      return new RunActivityResult(
          request.activityId(), runId, 1, "sha256:" + "0".repeat(64), List.of());
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() {
    RUNS.clear();
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(ContractDataConverter.instance())
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(),
        SubjectEventsWorkflowImpl.class,
        RecordingRunActivity.class);
    Worker small = env.newWorker(SMALL_RUNS);
    small.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(),
        SmallRunsSubjectEvents.class,
        RecordingRunActivity.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private static EventEnvelope event(String eventId) {
    return event(eventId, JsonNodeFactory.instance.objectNode());
  }

  private static EventEnvelope event(String eventId, ObjectNode payload) {
    return EventEnvelope.of(
            eventId, "order.paid", "bp/test", Instant.parse("2026-11-21T08:15:30Z"), payload)
        .withSubject(SUBJECT);
  }

  private static EventEnvelope slow(String eventId) {
    return event(eventId, JsonNodeFactory.instance.objectNode().put("sleep_seconds", 60));
  }

  private static String run(String eventId) {
    return WorkflowIds.eventRun(ACTIVITY, eventId);
  }

  private static List<String> runs(String... eventIds) {
    return java.util.Arrays.stream(eventIds).map(SubjectEventsWorkflowTest::run).toList();
  }

  /** What the event router does: signal with start, under the subject's ID. */
  private WorkflowExecution send(String taskQueue, SubjectEventsRequest request, EventEnvelope e) {
    return client
        .newUntypedWorkflowStub(
            SubjectEventsWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(taskQueue).build())
        .signalWithStart(
            SubjectEventsWorkflow.EVENT_SIGNAL, new Object[] {e}, new Object[] {request});
  }

  private WorkflowExecution send(EventEnvelope e) {
    return send(QUEUE, SubjectEventsRequest.of(ACTIVITY, SUBJECT), e);
  }

  private void signal(EventEnvelope e) {
    client.newWorkflowStub(SubjectEventsWorkflow.class, ID).event(e);
  }

  private SubjectEventsState state() {
    return client.newWorkflowStub(SubjectEventsWorkflow.class, ID).state();
  }

  /** Waits for the chain (across continue-as-new) to close after its idle timeout. */
  private SubjectEventsState result() {
    return client.newUntypedWorkflowStub(ID).getResult(SubjectEventsState.class);
  }

  private void awaitState(java.util.function.Predicate<SubjectEventsState> condition) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(this::state, condition);
  }

  @Test
  void eventsRunOneAtATimeInArrivalOrder() {
    send(slow("e1"));
    List.of("e2", "e3", "e4", "e5").forEach(id -> signal(event(id)));

    // Time stands still until the test waits for a result: e1's run is open, the others wait.
    awaitState(s -> s.pending() == 4);
    SubjectEventsState whileRunning = state();
    assertThat(whileRunning.currentEventId()).contains("e1");
    assertThat(whileRunning.counts().handled()).isZero();
    assertThat(RUNS).containsExactly(run("e1"));

    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2", "e3", "e4", "e5"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(5, 0, 0, 0, 0));
    assertThat(closed.lastEventIds()).containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(closed.pending()).isZero();
    assertThat(closed.currentEventId()).isEmpty();
  }

  @Test
  void aRepeatedEventIdIsIgnoredAndCounted() {
    send(slow("e1"));
    List.of("e2", "e1", "e3", "e2", "e3").forEach(id -> signal(event(id)));
    // The router redelivers with signal-with-start: the same as a signal to the open workflow.
    send(event("e1"));

    awaitState(s -> s.counts().duplicates() == 4);
    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2", "e3"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(3, 0, 0, 4, 0));
  }

  @Test
  void anEventWhoseRunExistsIsDoneAndNotRunAgain() {
    // A START route (or an operator) ran e2 for the same activity already.
    client
        .newWorkflowStub(
            RunActivityWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(run("e2")).setTaskQueue(QUEUE).build())
        .run(RunActivityRequest.triggeredBy(ACTIVITY, event("e2")));

    send(event("e1"));
    signal(event("e2"));
    signal(event("e3"));
    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e2", "e1", "e3"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(3, 1, 0, 0, 0));
    assertThat(closed.lastEventIds()).containsExactly("e1", "e2", "e3");
  }

  @Test
  void aFailedRunIsCountedAndTheNextEventRuns() {
    send(event("e1", JsonNodeFactory.instance.objectNode().put("fail", true)));
    signal(event("e2"));

    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(2, 0, 1, 0, 0));
  }

  @Test
  void anEventOfAnotherSubjectOrWithoutOneIsRejected() {
    send(event("e1"));
    signal(event("e2").withSubject("order/o-2002"));
    signal(
        EventEnvelope.of(
            "e3",
            "order.paid",
            "bp/test",
            Instant.parse("2026-11-21T08:15:30Z"),
            JsonNodeFactory.instance.objectNode()));

    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(1, 0, 0, 0, 2));
  }

  @Test
  void continueAsNewCarriesTheWindowTheQueueAndTheCounts() {
    WorkflowExecution first =
        send(SMALL_RUNS, SubjectEventsRequest.of(ACTIVITY, SUBJECT), slow("e1"));
    List.of("e2", "e3", "e4", "e5", "e6", "e7", "e1").forEach(id -> signal(event(id)));
    awaitState(s -> s.counts().duplicates() == 1 && s.pending() == 6);

    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2", "e3", "e4", "e5", "e6", "e7"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(7, 0, 0, 1, 0));
    assertThat(closed.lastEventIds())
        .as("carried in the window, not lost with the run that handled them")
        .containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7");
    // Run 1 ignored a duplicate and took e1 and e2: three events, so it continued as new carrying
    // the five queued events and all seven IDs.
    SubjectEventsRequest carried = continuedWith(first);
    assertThat(carried.pendingEvents())
        .extracting(EventEnvelope::eventId)
        .containsExactly("e3", "e4", "e5", "e6", "e7");
    assertThat(carried.seenEventIds()).containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7");
    assertThat(carried.counts()).contains(new SubjectEventCounts(2, 0, 0, 1, 0));
    assertThat(carried.idleTimeout()).isEqualTo(SubjectEventsRequest.DEFAULT_IDLE_TIMEOUT);
  }

  @Test
  void theWindowCarriedOverStillRecognisesDuplicates() {
    send(SMALL_RUNS, SubjectEventsRequest.of(ACTIVITY, SUBJECT), event("e1"));
    List.of("e2", "e3", "e4").forEach(id -> signal(event(id)));
    // e1..e3 filled run 1; e4 is handled by run 2, and so is every duplicate below.
    awaitState(s -> s.counts().handled() == 4);
    List.of("e1", "e2", "e3", "e4").forEach(id -> signal(event(id)));

    SubjectEventsState closed = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2", "e3", "e4"));
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(4, 0, 0, 4, 0));
  }

  @Test
  void aBurstOfSignalsAcrossManyContinueAsNewIsHandledInOrderExactlyOnce() {
    List<String> ids = IntStream.range(0, 40).mapToObj(i -> "burst-" + i).toList();
    // Signal-with-start each, as the router does, while the workflow keeps continuing as new
    // every three events: some signals land on a run that is about to close.
    for (String id : ids) {
      send(SMALL_RUNS, SubjectEventsRequest.of(ACTIVITY, SUBJECT), event(id));
    }
    for (String id : ids.subList(0, 10)) {
      send(SMALL_RUNS, SubjectEventsRequest.of(ACTIVITY, SUBJECT), event(id));
    }

    SubjectEventsState closed = result();

    assertThat(RUNS)
        .containsExactlyElementsOf(ids.stream().map(SubjectEventsWorkflowTest::run).toList());
    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(40, 0, 0, 10, 0));
    assertThat(closed.lastEventIds()).containsExactlyElementsOf(ids.subList(30, 40));
  }

  @Test
  void aRedeliveryAfterTheChainClosedStartsANewChainThatDoesNotRunItAgain() {
    send(event("e1"));
    signal(event("e2"));
    result();

    // The router redelivers e2 (say, after a crash before its commit) and sends e3, a day later.
    send(event("e2"));
    signal(event("e3"));
    SubjectEventsState second = result();

    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2", "e3"));
    assertThat(second.counts())
        .as("a new chain: a new window, but the run ID is the fence")
        .isEqualTo(new SubjectEventCounts(2, 1, 0, 0, 0));
  }

  @Test
  void aSignalAtTheMomentTheIdleTimeoutFiresIsNotLost() {
    send(
        QUEUE,
        SubjectEventsRequest.of(ACTIVITY, SUBJECT).withIdleTimeout(Duration.ofHours(1)),
        event("e1"));
    awaitState(s -> s.counts().handled() == 1);

    // Exactly at the idle timeout: the timer fires and the signal arrives in the same moment.
    env.sleep(Duration.ofHours(1));
    send(
        QUEUE,
        SubjectEventsRequest.of(ACTIVITY, SUBJECT).withIdleTimeout(Duration.ofHours(1)),
        event("e2"));
    result();

    // Whichever won — the open run took e2, or it had closed and signal-with-start began a new
    // chain — e2 ran once.
    assertThat(RUNS).containsExactlyElementsOf(runs("e1", "e2"));
  }

  @Test
  void itClosesAfterTheIdleTimeoutAndAnEventRestartsTheWait() {
    long startedAt = env.currentTimeMillis();
    send(
        QUEUE,
        SubjectEventsRequest.of(ACTIVITY, SUBJECT).withIdleTimeout(Duration.ofHours(2)),
        event("e1"));
    awaitState(s -> s.counts().handled() == 1);
    env.sleep(Duration.ofMinutes(90));
    signal(event("e2"));
    awaitState(s -> s.counts().handled() == 2);
    env.sleep(Duration.ofMinutes(90));

    assertThat(client.newUntypedWorkflowStub(ID).describe().getWorkflowExecutionInfo().getStatus())
        .as("3h after the start, 90m after e2")
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    result();
    Duration open = Duration.ofMillis(env.currentTimeMillis() - startedAt);
    assertThat(open).isBetween(Duration.ofMinutes(210), Duration.ofMinutes(215));
  }

  @Test
  void theDefaultIdleTimeoutIsADay() {
    long startedAt = env.currentTimeMillis();
    send(event("e1"));
    result();
    assertThat(Duration.ofMillis(env.currentTimeMillis() - startedAt))
        .isBetween(Duration.ofHours(24), Duration.ofHours(24).plusMinutes(5));
  }

  @Test
  void anIdOtherThanTheSubjectsIsRefusedBeforeAnythingRuns() {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            SubjectEventsWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setWorkflowId("invoice-sync:order/o-1001")
                .setTaskQueue(QUEUE)
                .build());
    stub.signalWithStart(
        SubjectEventsWorkflow.EVENT_SIGNAL,
        new Object[] {event("e1")},
        new Object[] {SubjectEventsRequest.of(ACTIVITY, SUBJECT)});

    assertThatThrownBy(() -> stub.getResult(SubjectEventsState.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("WORKFLOW_ID_MISMATCH");
              assertThat(f.getOriginalMessage())
                  .contains("it must be 'invoice-sync:subject:order_2Fo-1001'");
            });
    assertThat(RUNS).isEmpty();
  }

  @Test
  void historiesReplayWithTheCurrentCode() throws Exception {
    WorkflowExecution first =
        send(SMALL_RUNS, SubjectEventsRequest.of(ACTIVITY, SUBJECT), slow("e1"));
    List.of("e2", "e1", "e3", "e4").forEach(id -> signal(event(id)));
    result();
    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory(ID, first.getRunId()), SmallRunsSubjectEvents.class);
    WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(ID), SmallRunsSubjectEvents.class);

    send(event("e5"));
    signal(event("e5"));
    result();
    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory(ID), SubjectEventsWorkflowImpl.class);
  }

  /** The input run {@code execution} continued as new with. */
  private SubjectEventsRequest continuedWith(WorkflowExecution execution) {
    WorkflowExecutionHistory history = client.fetchHistory(ID, execution.getRunId());
    HistoryEvent last = history.getLastEvent();
    assertThat(last.getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    return ContractDataConverter.instance()
        .fromPayloads(
            0,
            java.util.Optional.of(
                last.getWorkflowExecutionContinuedAsNewEventAttributes().getInput()),
            SubjectEventsRequest.class,
            SubjectEventsRequest.class);
  }
}
