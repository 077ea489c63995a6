package io.bptemporal.router.deliver;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.registry.routes.EventRoute;
import io.bptemporal.router.decode.DeadLetterReason;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deliveries through the platform's one Temporal connection: one client per namespace the routes'
 * activities name, each with the contract data converter and the tracing interceptor.
 *
 * <ul>
 *   <li>{@code START}: the activity row's workflow type (RunActivityWorkflow) on its task queue,
 *       workflow id {@code <activity_id>:event:<event_id>}, {@link
 *       WorkflowIdReusePolicy#WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE}: while the run is open or
 *       closed within the namespace's retention, a second start is refused with
 *       WorkflowExecutionAlreadyStarted, which is the {@link DeliveryResult#DUPLICATE} success.
 *   <li>{@code SIGNAL_WITH_START}: signal {@value SubjectEventsWorkflow#EVENT_SIGNAL} with the
 *       envelope to the subject's {@code SubjectEventsWorkflow} (id {@code
 *       <activity_id>:subject:<escaped subject>}), starting it with {@code
 *       SubjectEventsRequest.of(activity_id, subject)} when none is running, in the activity row's
 *       namespace and task queue. A redelivered event is signalled again and ignored by the
 *       workflow, which de-duplicates by event id; the router counts every accepted signal as
 *       {@link DeliveryResult#SIGNALLED}. The caller has checked that the envelope has a subject.
 * </ul>
 */
public final class TemporalDeliveries implements Deliveries {
  /** Memo key naming the route that started a run, for the UI and for operators. */
  public static final String ROUTE_MEMO = "bp-event-route";

  private final TemporalConnection connection;
  private final List<WorkflowClientInterceptor> interceptors;
  private final Map<String, WorkflowClient> clients = new ConcurrentHashMap<>();

  public TemporalDeliveries(
      TemporalConnection connection, List<WorkflowClientInterceptor> interceptors) {
    this.connection = connection;
    this.interceptors = List.copyOf(interceptors);
  }

  @Override
  public DeliveryResult deliver(EventRoute route, EventEnvelope envelope) {
    return switch (route.delivery()) {
      case START -> start(route, envelope);
      case SIGNAL_WITH_START -> signalWithStart(route, envelope);
    };
  }

  private DeliveryResult start(EventRoute route, EventEnvelope envelope) {
    String workflowId = WorkflowIds.eventRun(route.activityId(), envelope.eventId());
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(route.target().taskQueue())
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setMemo(Map.of(ROUTE_MEMO, route.routeId()))
            .build();
    WorkflowStub stub =
        client(route.target().namespace())
            .newUntypedWorkflowStub(route.target().workflowType(), options);
    try {
      stub.start(RunActivityRequest.triggeredBy(route.activityId(), envelope));
      return DeliveryResult.STARTED;
    } catch (WorkflowExecutionAlreadyStarted duplicate) {
      return DeliveryResult.DUPLICATE;
    } catch (RuntimeException e) {
      throw classified(
          "start of "
              + route.target().workflowType()
              + " "
              + route.target().namespace()
              + "/"
              + workflowId
              + " (route '"
              + route.routeId()
              + "')",
          e);
    }
  }

  private DeliveryResult signalWithStart(EventRoute route, EventEnvelope envelope) {
    String subject =
        envelope
            .subject()
            .orElseThrow(
                () ->
                    new RejectedDeliveryException(
                        DeadLetterReason.NO_SUBJECT,
                        "route '" + route.routeId() + "': $.subject is missing",
                        null));
    String workflowId = WorkflowIds.subjectEvents(route.activityId(), subject);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(route.target().taskQueue())
            .setMemo(Map.of(ROUTE_MEMO, route.routeId()))
            .build();
    WorkflowStub stub =
        client(route.target().namespace())
            .newUntypedWorkflowStub(SubjectEventsWorkflow.WORKFLOW_TYPE, options);
    try {
      stub.signalWithStart(
          SubjectEventsWorkflow.EVENT_SIGNAL,
          new Object[] {envelope},
          new Object[] {SubjectEventsRequest.of(route.activityId(), subject)});
      return DeliveryResult.SIGNALLED;
    } catch (RuntimeException e) {
      throw classified(
          "signal-with-start of "
              + SubjectEventsWorkflow.WORKFLOW_TYPE
              + " "
              + route.target().namespace()
              + "/"
              + workflowId
              + " (route '"
              + route.routeId()
              + "')",
          e);
    }
  }

  private static RuntimeException classified(String what, RuntimeException e) {
    if (TemporalErrors.retryable(e)) {
      return new RetryableDeliveryException(
          what + " not accepted yet: " + TemporalErrors.describe(e), e);
    }
    return new RejectedDeliveryException(
        DeadLetterReason.REJECTED_BY_TEMPORAL,
        what + " refused by Temporal: " + TemporalErrors.describe(e),
        e);
  }

  private WorkflowClient client(String namespace) {
    return clients.computeIfAbsent(namespace, ns -> connection.client(ns, interceptors));
  }
}
