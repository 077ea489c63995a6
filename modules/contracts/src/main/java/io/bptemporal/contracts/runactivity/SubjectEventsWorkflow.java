package io.bptemporal.contracts.runactivity;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.naming.TaskQueues;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The events of one subject for one activity, one at a time in arrival order: a long-lived workflow
 * that the event router signals with start for a {@code SIGNAL_WITH_START} route. Each event is run
 * as a child {@link RunActivityWorkflow} ({@link RunActivityRequest#triggeredBy}, workflow ID
 * {@code <activity_id>:event:<event_id>}), the next one only after it closed. Events are
 * de-duplicated by {@code event_id} over a window of {@value SubjectEventsRequest#DEDUPE_WINDOW};
 * the run ID is the fence beyond it (an ID taken already is done, not run again). It continues as
 * new every {@value #CONTINUE_AS_NEW_AFTER} events (or when Temporal suggests it), carrying the
 * window and the events not handled yet, and completes after {@code idle_timeout} without an event.
 *
 * <p>Namespace {@value #NAMESPACE}, task queue {@value #TASK_QUEUE}, workflow ID {@code
 * <activity_id>:subject:<escaped subject>} ({@link
 * io.bptemporal.contracts.naming.WorkflowIds#subjectEvents(String, String)}).
 */
@WorkflowInterface
public interface SubjectEventsWorkflow {

  String WORKFLOW_TYPE = "SubjectEventsWorkflow";
  String NAMESPACE = "pipelines";
  String TASK_QUEUE = TaskQueues.ACTIVITIES;
  String EVENT_SIGNAL = "event";
  String STATE_QUERY = "state";

  /** Events handled (or ignored as duplicates) by one run before it continues as new. */
  int CONTINUE_AS_NEW_AFTER = 500;

  /** Runs until idle; returns the final state. */
  @WorkflowMethod(name = WORKFLOW_TYPE)
  SubjectEventsState run(SubjectEventsRequest request);

  /** One event of the subject; queued, or ignored when its event_id was seen. */
  @SignalMethod(name = EVENT_SIGNAL)
  void event(EventEnvelope event);

  @QueryMethod(name = STATE_QUERY)
  SubjectEventsState state();
}
