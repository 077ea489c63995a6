package io.bptemporal.ordersaga.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The version-1 history that the v2 limit check's version guard exists for. Every file under
 * histories/OrderSagaWorkflow (these version-1 recordings among them) is replayed on the current
 * code by {@link RecordedHistoriesReplayTest}.
 */
class OrderSagaReplayTest {

  @Test
  void theLargeOrderWasChargedByVersion1SoOnlyTheVersionGuardLetsItReplay() throws IOException {
    WorkflowExecutionHistory history = load("v1-large-order");
    List<HistoryEvent> events = history.getEvents();

    assertThat(events).noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED);
    assertThat(events)
        .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .extracting(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .containsExactly("CreateOrder", "ChargePayment", "ReserveInventory", "SendConfirmation");
    String input =
        events
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getInput()
            .getPayloads(0)
            .getData()
            .toStringUtf8();
    assertThat(input).contains("\"quantity\":1000", "\"unit_price_cents\":1299");
    assertThat(1000L * 1299).isGreaterThan(OrderSagaWorkflowImpl.ORDER_LIMIT_CENTS);
  }

  private static WorkflowExecutionHistory load(String name) throws IOException {
    try (InputStream in =
        OrderSagaReplayTest.class.getResourceAsStream(
            "/histories/OrderSagaWorkflow/" + name + ".json")) {
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
