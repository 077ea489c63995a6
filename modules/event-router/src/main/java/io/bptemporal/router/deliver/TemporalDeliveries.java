package io.bptemporal.router.deliver;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.registry.routes.Delivery;
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
 *   <li>{@code SIGNAL_WITH_START}: not in this build yet (the subject workflow's contract is not
 *       merged); such a route's records are dead-lettered with {@link
 *       DeadLetterReason#DELIVERY_UNAVAILABLE}, to be replayed once it is.
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
      case SIGNAL_WITH_START ->
          throw new RejectedDeliveryException(
              DeadLetterReason.DELIVERY_UNAVAILABLE,
              "route '"
                  + route.routeId()
                  + "' delivers "
                  + Delivery.SIGNAL_WITH_START
                  + ", which this router build does not carry out yet; accepted: "
                  + Delivery.START
                  + " routes. Replay the record from the dead-letter topic once the router"
                  + " supports it, or change the route's delivery",
              null);
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
      String what =
          "start of "
              + route.target().workflowType()
              + " "
              + route.target().namespace()
              + "/"
              + workflowId
              + " (route '"
              + route.routeId()
              + "')";
      if (TemporalErrors.retryable(e)) {
        throw new RetryableDeliveryException(
            what + " not accepted yet: " + TemporalErrors.describe(e), e);
      }
      throw new RejectedDeliveryException(
          DeadLetterReason.REJECTED_BY_TEMPORAL,
          what + " refused by Temporal: " + TemporalErrors.describe(e),
          e);
    }
  }

  private WorkflowClient client(String namespace) {
    return clients.computeIfAbsent(namespace, ns -> connection.client(ns, interceptors));
  }
}
