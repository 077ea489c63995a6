package io.bptemporal.ordersaga.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Histories recorded from version 1 of the saga on the real server (SagaHistoryRecorder, before the
 * single-order limit check existed) must replay on the current code: a worker upgraded while such
 * sagas are open would otherwise fail them with a non-determinism error.
 */
class OrderSagaReplayTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v1-completed", "v1-out-of-stock", "v1-large-order"})
  void version1HistoriesReplayOnTheCurrentCode(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + history + ".json", OrderSagaWorkflowImpl.class);
  }

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
        OrderSagaReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
