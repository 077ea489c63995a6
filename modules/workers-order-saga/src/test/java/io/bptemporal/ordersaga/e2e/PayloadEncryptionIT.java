package io.bptemporal.ordersaga.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaOutcomes;
import io.bptemporal.contracts.ordersaga.OrderSagaWorkflow;
import io.bptemporal.contracts.ordersaga.PaymentMethod;
import io.bptemporal.contracts.ordersaga.PaymentMethodType;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.LedgerOnlyProvider;
import io.bptemporal.runtime.temporal.codec.CodecServer;
import io.bptemporal.runtime.temporal.codec.CodecServerSettings;
import io.bptemporal.runtime.temporal.codec.PayloadKeys;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Payload encryption on the real dev stack: a saga run with payload keys leaves its customer id and
 * payment token nowhere in Temporal's databases (every bytea, text and jsonb column of {@code
 * temporal} and {@code temporal_visibility}: history_node, executions, visibility), while the same
 * scan finds them after a run without keys (so the scan can fail); the codec server decodes the
 * encrypted history's payloads back to the order's JSON.
 */
@ExtendWith(DevStackExtension.class)
class PayloadEncryptionIT {
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final String TOKEN = "codec-it-token-" + RUN + "-0123456789";
  private static final List<OrderLine> LINES = List.of(new OrderLine("CODEC-MUG", 1, 1299));

  private static StackEndpoints endpoints;
  private static SagaStack encrypted;
  private static SagaStack clear;
  private static CodecServer codecServer;

  @BeforeAll
  static void start(StackEndpoints stack) {
    endpoints = stack;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    PayloadKeys keys = PayloadKeys.of("it-" + RUN, Map.of("it-" + RUN, key));
    encrypted =
        SagaStack.start(
            stack,
            "orders_codec",
            "orders-codec-" + RUN,
            new LedgerOnlyProvider(),
            Optional.empty(),
            Optional.of(keys));
    clear =
        SagaStack.start(
            stack,
            "orders_codec",
            "orders-clear-" + RUN,
            new LedgerOnlyProvider(),
            Optional.empty());
    new InventoryReservations(encrypted.sql()).ensureAvailable(Map.of("CODEC-MUG", 100_000));
    codecServer = CodecServer.start(new CodecServerSettings(0, TOKEN, Optional.empty(), keys));
  }

  @AfterAll
  static void stop() {
    codecServer.close();
    encrypted.close();
    clear.close();
  }

  @Test
  void anEncryptedRunLeavesNoCustomerIdOrPaymentTokenInTemporalsDatabases() throws Exception {
    PlaceOrder order = order("enc");

    assertThat(place(encrypted, order).outcome()).isEqualTo(OrderOutcome.COMPLETED);

    assertThat(clearTextHits(order.customerId())).isEmpty();
    assertThat(clearTextHits(order.paymentMethod().token())).isEmpty();
  }

  @Test
  void theScanFindsThemAfterARunWithoutEncryption() throws Exception {
    PlaceOrder order = order("clear");

    assertThat(place(clear, order).outcome()).isEqualTo(OrderOutcome.COMPLETED);

    assertThat(clearTextHits(order.customerId())).contains("temporal.history_node.data");
    assertThat(clearTextHits(order.paymentMethod().token())).contains("temporal.history_node.data");
  }

  @Test
  void theCodecServerDecodesTheEncryptedHistoryBackToTheOrder() throws Exception {
    PlaceOrder order = order("ui");
    assertThat(place(encrypted, order).outcome()).isEqualTo(OrderOutcome.COMPLETED);
    HistoryEvent startedEvent =
        encrypted
            .connection()
            .stubs()
            .blockingStub()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(Namespaces.ORDERS.name())
                    .setExecution(
                        WorkflowExecution.newBuilder()
                            .setWorkflowId(WorkflowIds.orderSaga(order.orderId())))
                    .build())
            .getHistory()
            .getEvents(0);
    Payloads input = startedEvent.getWorkflowExecutionStartedEventAttributes().getInput();
    String stored = JsonFormat.printer().print(input);
    assertThat(stored).contains("YmluYXJ5L2VuY3J5cHRlZA=="); // binary/encrypted

    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(codecServer.uri() + "/decode"))
                    .header("Content-Type", "application/json")
                    .header("X-Namespace", Namespaces.ORDERS.name())
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(stored))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    Payloads.Builder decoded = Payloads.newBuilder();
    JsonFormat.parser().merge(answer.body(), decoded);
    String json = decoded.getPayloads(0).getData().toStringUtf8();
    assertThat(json)
        .contains("\"customer_id\":\"" + order.customerId() + "\"")
        .contains(order.paymentMethod().token());
  }

  /**
   * Every column of Temporal's two databases that holds bytes or text and contains {@code needle},
   * as {@code database.table.column}.
   */
  private static List<String> clearTextHits(String needle) throws SQLException {
    List<String> hits = new ArrayList<>();
    for (String database : List.of("temporal", "temporal_visibility")) {
      try (Connection db = endpoints.postgres().connect(database)) {
        List<String[]> columns = new ArrayList<>();
        try (PreparedStatement columnsQuery =
                db.prepareStatement(
                    "select table_name, column_name, data_type from information_schema.columns"
                        + " where table_schema = 'public'"
                        + " and data_type in ('bytea', 'text', 'character varying', 'jsonb')");
            ResultSet rs = columnsQuery.executeQuery()) {
          while (rs.next()) {
            columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          }
        }
        for (String[] column : columns) {
          String expression =
              "bytea".equals(column[2])
                  ? "position(convert_to(?, 'UTF8') in \"" + column[1] + "\")"
                  : "position(? in \"" + column[1] + "\"::text)";
          try (PreparedStatement scan =
              db.prepareStatement(
                  "select count(*) from \"" + column[0] + "\" where " + expression + " > 0")) {
            scan.setString(1, needle);
            try (ResultSet rs = scan.executeQuery()) {
              rs.next();
              if (rs.getLong(1) > 0) {
                hits.add(database + "." + column[0] + "." + column[1]);
              }
            }
          }
        }
      }
    }
    return hits;
  }

  private static PlaceOrder order(String name) {
    return new PlaceOrder(
        "o-codec-" + RUN + "-" + name,
        "cust-" + RUN + "-" + name,
        LINES,
        "EUR",
        new PaymentMethod(PaymentMethodType.CARD, "tok_" + RUN + "_" + name));
  }

  private static OrderResult place(SagaStack saga, PlaceOrder order) {
    OrderSagaWorkflow stub =
        saga.client()
            .newWorkflowStub(
                OrderSagaWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.orderSaga(order.orderId()))
                    .setTaskQueue(saga.taskQueue())
                    .build());
    return OrderSagaOutcomes.resultOf(() -> stub.placeOrder(order));
  }
}
