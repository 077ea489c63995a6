package io.bptemporal.router.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.routes.EventRoute;
import io.bptemporal.registry.routes.RouteParser;
import io.bptemporal.registry.routes.RouteRow;
import io.bptemporal.registry.routes.RouteTarget;
import io.bptemporal.router.decode.DeadLetterReason;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowStub;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router's starts against the dev stack's real Temporal: one run per activity and event, a
 * second start of the same event — while the run is open and after it closed — is the duplicate
 * success, a namespace Temporal does not know is a refusal with the server's words.
 */
@ExtendWith(DevStackExtension.class)
class TemporalDeliveriesIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String QUEUE = "deliveries-it-" + RUN;

  private static TemporalConnection connection;
  private static TemporalDeliveries deliveries;

  @BeforeAll
  static void connect(StackEndpoints stack) {
    connection =
        TemporalConnection.open(
            new TemporalSettings(
                stack.temporalAddress(), "pipelines", QUEUE, Optional.empty(), Optional.empty()),
            Optional.empty());
    deliveries = new TemporalDeliveries(connection, List.of());
  }

  @AfterAll
  static void close() {
    connection.close();
  }

  private static EventRoute route(String namespace) {
    return route(namespace, "START");
  }

  private static EventRoute route(String namespace, String delivery) {
    return RouteParser.parse(
        new RouteRow(
            "it-route",
            "order.placed",
            JsonNodeFactory.instance.arrayNode(),
            delivery,
            true,
            1,
            Instant.EPOCH,
            new RouteTarget("deliveries-it", namespace, "RunActivityWorkflow", QUEUE, true)));
  }

  private static EventEnvelope event(String id) {
    return EventEnvelope.of(
        id,
        "order.placed",
        "bp/it",
        Instant.parse("2026-11-21T10:00:00Z"),
        JsonNodeFactory.instance.objectNode().put("n", 1));
  }

  @Test
  void oneRunPerEventAndEveryFurtherStartIsADuplicateOpenOrClosed() {
    EventRoute route = route("pipelines");
    EventEnvelope event = event("e-" + RUN);
    assertThat(deliveries.deliver(route, event)).isEqualTo(DeliveryResult.STARTED);
    assertThat(deliveries.deliver(route, event))
        .as("while open")
        .isEqualTo(DeliveryResult.DUPLICATE);

    String workflowId = WorkflowIds.eventRun("deliveries-it", event.eventId());
    WorkflowStub stub = connection.client(List.of()).newUntypedWorkflowStub(workflowId);
    stub.terminate("closed by the test");
    assertThat(
            connection
                .stubs()
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace("pipelines")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build())
                .getWorkflowExecutionInfo()
                .getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertThat(deliveries.deliver(route, event))
        .as("after it closed (REJECT_DUPLICATE)")
        .isEqualTo(DeliveryResult.DUPLICATE);
  }

  @Test
  void aNamespaceTemporalDoesNotKnowIsRefusedWithTheServersWords() {
    assertThatThrownBy(() -> deliveries.deliver(route("no-such-namespace"), event("n-" + RUN)))
        .isInstanceOfSatisfying(
            RejectedDeliveryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DeadLetterReason.REJECTED_BY_TEMPORAL);
              assertThat(e.getMessage())
                  .contains("no-such-namespace/deliveries-it:event:n-" + RUN, "NOT_FOUND");
            });
  }

  @Test
  void signalWithStartStartsTheSubjectsWorkflowOnceAndSignalsEveryEvent() {
    EventRoute route = route("pipelines", "SIGNAL_WITH_START");
    String subject = "order/o-" + RUN;
    EventEnvelope first = event("s1-" + RUN).withSubject(subject);
    EventEnvelope second = event("s2-" + RUN).withSubject(subject);
    assertThat(deliveries.deliver(route, first)).isEqualTo(DeliveryResult.SIGNALLED);
    assertThat(deliveries.deliver(route, second)).isEqualTo(DeliveryResult.SIGNALLED);
    assertThat(deliveries.deliver(route, first))
        .as("a redelivery")
        .isEqualTo(DeliveryResult.SIGNALLED);

    String workflowId = WorkflowIds.subjectEvents("deliveries-it", subject);
    var client = connection.client(List.of());
    var history = client.fetchHistory(workflowId).getHistory().getEventsList();
    assertThat(history.stream().filter(e -> e.hasWorkflowExecutionStartedEventAttributes()).count())
        .as("one run of the subject's workflow")
        .isEqualTo(1);
    assertThat(
            history.get(0).getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName())
        .isEqualTo("SubjectEventsWorkflow");
    assertThat(
            history.stream().filter(e -> e.hasWorkflowExecutionSignaledEventAttributes()).count())
        .as("every accepted signal is in its history (the workflow de-duplicates by event id)")
        .isEqualTo(3);
    client.newUntypedWorkflowStub(workflowId).terminate("closed by the test");
  }
}
