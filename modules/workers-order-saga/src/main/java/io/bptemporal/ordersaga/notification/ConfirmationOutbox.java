package io.bptemporal.ordersaga.notification;

import static io.bptemporal.ordersaga.db.schema.Tables.NOTIFICATION_OUTBOX;
import static io.bptemporal.ordersaga.db.schema.Tables.ORDERS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.ordersaga.ConfirmationSent;
import io.bptemporal.contracts.ordersaga.OrderEffect;
import io.bptemporal.contracts.ordersaga.SendConfirmation;
import io.bptemporal.ordersaga.BusinessFailure;
import io.bptemporal.ordersaga.db.schema.tables.records.OrdersRecord;
import io.bptemporal.ordersaga.order.OrderBook;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order confirmation, sent through a transactional outbox: the message row (unique under {@code
 * order.confirmation/<order_id>}) and the order's change to CONFIRMED commit together, and a relay
 * outside this worker delivers the row. Writing to the outbox instead of calling a mail service
 * keeps "notify once" a database guarantee: a retried attempt finds the row and reports the same
 * message.
 */
public final class ConfirmationOutbox {
  private static final Logger log = LoggerFactory.getLogger(ConfirmationOutbox.class);
  public static final String TEMPLATE = "order-confirmation";

  private final DSLContext dsl;
  private final ObjectMapper json = ContractJson.newObjectMapper();

  public ConfirmationOutbox(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * What the relay renders; the message names the order, its total, the charge and the reservation.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ConfirmationMessage(
      String orderId,
      String customerId,
      long totalCents,
      String currency,
      String paymentId,
      String reservationId) {}

  public ConfirmationSent send(SendConfirmation request) {
    String orderId = request.orderId();
    IdempotencyKey key = OrderEffect.SEND_CONFIRMATION.key(orderId);
    String messageId = "msg_" + key.digest().substring("sha256:".length(), "sha256:".length() + 16);
    return dsl.transactionResult(
        tx -> {
          DSLContext db = tx.dsl();
          OrdersRecord order =
              db.selectFrom(ORDERS)
                  .where(ORDERS.ORDER_ID.eq(orderId))
                  .forUpdate()
                  .fetchOptional()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "order "
                                  + orderId
                                  + " has no row in orders although"
                                  + " the saga created it; the confirmation waits (retried) until it is there"));
          if (OrderBook.CANCELLED.equals(order.getStatus())) {
            throw BusinessFailure.ORDER_CLOSED.failure(
                "order "
                    + orderId
                    + " was cancelled ("
                    + order.getCancelReason()
                    + "); no confirmation is sent");
          }
          int inserted =
              db.insertInto(NOTIFICATION_OUTBOX)
                  .set(NOTIFICATION_OUTBOX.MESSAGE_ID, messageId)
                  .set(NOTIFICATION_OUTBOX.IDEMPOTENCY_KEY, key.value())
                  .set(NOTIFICATION_OUTBOX.ORDER_ID, orderId)
                  .set(NOTIFICATION_OUTBOX.RECIPIENT, request.customerId())
                  .set(NOTIFICATION_OUTBOX.TEMPLATE, TEMPLATE)
                  .set(
                      NOTIFICATION_OUTBOX.PAYLOAD,
                      JSONB.valueOf(
                          write(
                              new ConfirmationMessage(
                                  orderId,
                                  request.customerId(),
                                  order.getTotalCents(),
                                  order.getCurrency(),
                                  request.paymentId(),
                                  request.reservationId()))))
                  .onConflictDoNothing()
                  .execute();
          db.update(ORDERS)
              .set(ORDERS.STATUS, OrderBook.CONFIRMED)
              .set(ORDERS.UPDATED_AT, OffsetDateTime.now())
              .where(ORDERS.ORDER_ID.eq(orderId))
              .and(ORDERS.STATUS.eq(OrderBook.CREATED))
              .execute();
          String stored =
              db.select(NOTIFICATION_OUTBOX.MESSAGE_ID)
                  .from(NOTIFICATION_OUTBOX)
                  .where(NOTIFICATION_OUTBOX.IDEMPOTENCY_KEY.eq(key.value()))
                  .fetchSingle(NOTIFICATION_OUTBOX.MESSAGE_ID);
          if (inserted == 1) {
            log.info(
                "confirmation {} of order {} queued for {}", stored, orderId, request.customerId());
          }
          return new ConfirmationSent(orderId, stored);
        });
  }

  private String write(ConfirmationMessage message) {
    try {
      return json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write the confirmation of order " + message.orderId(), e);
    }
  }
}
