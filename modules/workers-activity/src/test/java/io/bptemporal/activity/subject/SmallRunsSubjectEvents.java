package io.bptemporal.activity.subject;

import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.temporal.workflow.WorkflowInit;

/**
 * SubjectEventsWorkflow continuing as new after {@value #EVENTS_PER_RUN} events instead of 500, so
 * that tests cross many run boundaries with a few events.
 */
public final class SmallRunsSubjectEvents extends SubjectEventsWorkflowImpl {
  public static final int EVENTS_PER_RUN = 3;

  @WorkflowInit
  public SmallRunsSubjectEvents(SubjectEventsRequest request) {
    super(request, EVENTS_PER_RUN);
  }
}
