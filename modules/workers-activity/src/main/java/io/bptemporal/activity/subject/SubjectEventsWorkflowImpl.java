package io.bptemporal.activity.subject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.PlatformFailures;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.naming.IdentifierFormat;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.contracts.runactivity.SubjectEventCounts;
import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.contracts.validation.Violation;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The events of one subject for one activity, one at a time in arrival order
 * (docs/activity-worker.md, "Subject events").
 *
 * <p>The signal handler only decides: duplicate (its event_id is in the window), rejected (not of
 * this subject, or an event_id that cannot name a run), or queued. The workflow method takes the
 * queue in order and runs each event as a child RunActivityWorkflow with ID {@code
 * <activity_id>:event:<event_id>} and reuse policy REJECT_DUPLICATE, so an event whose run exists
 * or existed (within the namespace's retention) is done, not run twice. Every {@value
 * SubjectEventsWorkflow#CONTINUE_AS_NEW_AFTER} events, or when Temporal suggests it, it continues
 * as new with the window, the queue and the counts; after {@code idle_timeout} without an event it
 * completes. Before either it waits for every signal handler to finish and looks at the queue
 * again, so a signal that arrives while it closes is handled or carried, never dropped.
 */
public class SubjectEventsWorkflowImpl implements SubjectEventsWorkflow {

  /**
   * At most this many bytes of queued events are carried into the next run (Temporal refuses a
   * payload above 2 MiB); with more queued, the workflow handles events until the rest fits.
   */
  static final long MAX_CARRIED_BYTES = 1024 * 1024;

  private static final Logger log = Workflow.getLogger(SubjectEventsWorkflowImpl.class);

  /** Only measures queued events; deterministic (same record, same bytes). */
  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  private final int continueAsNewAfter;
  private final String activityId;
  private final String subject;
  private final Duration idleTimeout;
  private final SequencedSet<String> seen = new LinkedHashSet<>();
  private final Deque<EventEnvelope> queue = new ArrayDeque<>();
  private final Deque<String> lastEventIds = new ArrayDeque<>();
  private long queuedBytes;
  private SubjectEventCounts counts;
  private Optional<String> currentEventId = Optional.empty();

  /** Events handled, ignored or rejected by this run: its share of the history. */
  private int eventsThisRun;

  @WorkflowInit
  public SubjectEventsWorkflowImpl(SubjectEventsRequest request) {
    this(request, CONTINUE_AS_NEW_AFTER);
  }

  /** With another continue-as-new threshold: for tests that should not need 500 events. */
  protected SubjectEventsWorkflowImpl(SubjectEventsRequest request, int continueAsNewAfter) {
    this.continueAsNewAfter = continueAsNewAfter;
    this.activityId = request.activityId();
    this.subject = request.subject();
    this.idleTimeout = request.idleTimeout();
    this.counts = request.counts().orElse(SubjectEventCounts.NONE);
    String expected;
    try {
      expected = WorkflowIds.subjectEvents(activityId, subject);
    } catch (IllegalArgumentException e) {
      // The schema refuses both before this line; a client that bypassed the converter gets the
      // same answer.
      throw PlatformFailures.invalidInput(
          e.getMessage(),
          List.of(new Violation("$", e.getMessage(), "see docs/contracts.md", "(see message)")));
    }
    String actual = Workflow.getInfo().getWorkflowId();
    if (!expected.equals(actual)) {
      // The ID is the subject's fence: a second workflow for the same subject under another ID
      // would run its events in a second, unordered line.
      throw PlatformFailures.failure(
          FailureCode.WORKFLOW_ID_MISMATCH,
          "workflow ID '"
              + actual
              + "' does not follow the subject events rule"
              + " <activity_id>:subject:<escaped subject>: for activity_id '"
              + activityId
              + "' and subject '"
              + subject
              + "' it must be '"
              + expected
              + "'; nothing was done");
    }
    List<String> carried = request.seenEventIds();
    carried
        .subList(Math.max(0, carried.size() - SubjectEventsRequest.DEDUPE_WINDOW), carried.size())
        .forEach(this::remember);
    // The window lists IDs in the order they were taken and the queue is the newest of them: the
    // rest were handled, the newest of those are the last event IDs the state shows.
    Set<String> pendingIds = new HashSet<>();
    request.pendingEvents().forEach(e -> pendingIds.add(e.eventId()));
    seen.stream().filter(id -> !pendingIds.contains(id)).forEach(this::handledLast);
    // Carried events were accepted by the previous run: their IDs are in the window already.
    for (EventEnvelope event : request.pendingEvents()) {
      remember(event.eventId());
      enqueue(event);
    }
  }

  @Override
  public SubjectEventsState run(SubjectEventsRequest request) {
    log.info(
        "events of subject '{}' for activity {}: {} queued, window of {} event IDs",
        subject,
        activityId,
        queue.size(),
        seen.size());
    while (true) {
      if (continueAsNewDue()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        if (carriedFits()) {
          continueAsNew();
        }
      }
      if (queue.isEmpty()) {
        Workflow.await(idleTimeout, () -> !queue.isEmpty() || continueAsNewDue());
        if (queue.isEmpty() && !continueAsNewDue()) {
          // Idle. A signal whose handler has not run yet must still be seen: wait for the handlers,
          // then look again (a signal that arrives after this task started makes Temporal refuse
          // the completion and run the task again with it).
          Workflow.await(Workflow::isEveryHandlerFinished);
          if (queue.isEmpty()) {
            log.info(
                "subject '{}' of activity {} idle for {}; closing after {}",
                subject,
                activityId,
                idleTimeout,
                counts);
            return state();
          }
        }
        continue;
      }
      handle(dequeue());
    }
  }

  @Override
  public void event(EventEnvelope event) {
    String eventId = event.eventId();
    if (event.subject().filter(subject::equals).isEmpty()
        || !IdentifierFormat.EVENT_ID.matches(eventId)) {
      counts = counts.plusRejected();
      eventsThisRun++;
      log.warn(
          "event {} rejected: subject {} is not '{}' or its event_id cannot name a run",
          eventId,
          event.subject().map(s -> "'" + s + "'").orElse("(none)"),
          subject);
      return;
    }
    if (seen.contains(eventId)) {
      counts = counts.plusDuplicate();
      eventsThisRun++;
      return;
    }
    remember(eventId);
    enqueue(event);
  }

  @Override
  public SubjectEventsState state() {
    return new SubjectEventsState(
        activityId, subject, counts, queue.size(), currentEventId, List.copyOf(lastEventIds));
  }

  private void handle(EventEnvelope event) {
    String eventId = event.eventId();
    String runId = WorkflowIds.eventRun(activityId, eventId);
    currentEventId = Optional.of(eventId);
    RunActivityWorkflow run =
        Workflow.newChildWorkflowStub(
            RunActivityWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(runId)
                // The worker that runs this workflow runs RunActivity too.
                .setTaskQueue(Workflow.getInfo().getTaskQueue())
                // A closed run of this event is its run: never a second one.
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                // A run started is the event's run, whatever happens to this workflow.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    boolean alreadyRun = false;
    boolean failed = false;
    try {
      run.run(RunActivityRequest.triggeredBy(activityId, event));
    } catch (ChildWorkflowFailure failure) {
      if (failure.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        alreadyRun = true;
        log.info("event {}: run {} exists already; done", eventId, runId);
      } else {
        failed = true;
        log.warn("event {}: run {} failed; taking the next event", eventId, runId, failure);
      }
    }
    counts = counts.plusHandled(alreadyRun, failed);
    currentEventId = Optional.empty();
    handledLast(eventId);
    eventsThisRun++;
  }

  private void handledLast(String eventId) {
    lastEventIds.addLast(eventId);
    while (lastEventIds.size() > SubjectEventsState.LAST_EVENT_IDS) {
      lastEventIds.removeFirst();
    }
  }

  private boolean continueAsNewDue() {
    return eventsThisRun >= continueAsNewAfter || Workflow.getInfo().isContinueAsNewSuggested();
  }

  private boolean carriedFits() {
    return queuedBytes <= MAX_CARRIED_BYTES;
  }

  private void continueAsNew() {
    SubjectEventsRequest next =
        new SubjectEventsRequest(
            activityId,
            subject,
            idleTimeout,
            List.copyOf(seen),
            List.copyOf(queue),
            Optional.of(counts));
    log.info(
        "subject '{}' of activity {}: continuing as new after {} events, carrying {} queued",
        subject,
        activityId,
        eventsThisRun,
        queue.size());
    Workflow.continueAsNew(next);
  }

  private void remember(String eventId) {
    if (seen.add(eventId)) {
      Iterator<String> oldest = seen.iterator();
      while (seen.size() > SubjectEventsRequest.DEDUPE_WINDOW) {
        oldest.next();
        oldest.remove();
      }
    }
  }

  private void enqueue(EventEnvelope event) {
    queue.addLast(event);
    queuedBytes += size(event);
  }

  private EventEnvelope dequeue() {
    EventEnvelope event = queue.removeFirst();
    queuedBytes -= size(event);
    return event;
  }

  private static long size(EventEnvelope event) {
    try {
      return JSON.writeValueAsBytes(event).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an envelope that cannot be written: " + e.getMessage(), e);
    }
  }
}
