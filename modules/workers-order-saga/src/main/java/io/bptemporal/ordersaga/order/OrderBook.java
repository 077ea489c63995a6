package io.bptemporal.ordersaga.order;

import static io.bptemporal.ordersaga.db.schema.Tables.ORDERS;
import static io.bptemporal.ordersaga.db.schema.Tables.ORDER_LINES;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderCreated;
import io.bptemporal.contracts.ordersaga.OrderEffect;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.ordersaga.BusinessFailure;
import io.bptemporal.ordersaga.db.schema.tables.records.OrdersRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

/**
 * The {@code orders} and {@code order_lines} tables: creating an order (idempotent under {@code
 * order.create/<order_id>}) and cancelling it (the compensation, under {@code
 * order.cancel/<order_id>}).
 */
public final class OrderBook {
  /** Status values of {@code orders.status}. */
  public static final String CREATED = "CREATED";

  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";

  private final DSLContext dsl;

  public OrderBook(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Stores the order with its lines, or finds it stored by an earlier attempt. The same order ID
   * with different content is refused (a client bug, or two clients using one ID), and so is an
   * order that was cancelled: a later saga under its ID must not charge it again.
   */
  public OrderCreated create(PlaceOrder order) {
    ValidationResult<PlaceOrder> validation =
        ContractValidator.validateRecord(Contracts.PLACE_ORDER, order);
    if (!validation.valid()) {
      throw BusinessFailure.INVALID_ORDER.failure(
          "order "
              + order.orderId()
              + " is not a valid place-order ("
              + validation.violations().size()
              + " violations): "
              + validation.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")));
    }
    String createKey = OrderEffect.CREATE_ORDER.key(order.orderId()).value();
    return dsl.transactionResult(
        tx -> {
          DSLContext db = tx.dsl();
          int inserted =
              db.insertInto(ORDERS)
                  .set(ORDERS.ORDER_ID, order.orderId())
                  .set(ORDERS.CREATE_KEY, createKey)
                  .set(ORDERS.CUSTOMER_ID, order.customerId())
                  .set(ORDERS.CURRENCY, order.currency())
                  .set(ORDERS.TOTAL_CENTS, order.totalCents())
                  .set(ORDERS.STATUS, CREATED)
                  .onConflictDoNothing()
                  .execute();
          if (inserted == 1) {
            var lines =
                db.insertInto(
                    ORDER_LINES,
                    ORDER_LINES.ORDER_ID,
                    ORDER_LINES.LINE_NO,
                    ORDER_LINES.SKU,
                    ORDER_LINES.QUANTITY,
                    ORDER_LINES.UNIT_PRICE_CENTS);
            int lineNo = 1;
            for (OrderLine line : order.lines()) {
              lines =
                  lines.values(
                      order.orderId(),
                      lineNo++,
                      line.sku(),
                      line.quantity(),
                      line.unitPriceCents());
            }
            lines.execute();
            return new OrderCreated(order.orderId(), order.totalCents());
          }
          OrdersRecord stored =
              db.selectFrom(ORDERS).where(ORDERS.ORDER_ID.eq(order.orderId())).fetchSingle();
          List<OrderLine> storedLines =
              db.selectFrom(ORDER_LINES)
                  .where(ORDER_LINES.ORDER_ID.eq(order.orderId()))
                  .orderBy(ORDER_LINES.LINE_NO)
                  .fetch(r -> new OrderLine(r.getSku(), r.getQuantity(), r.getUnitPriceCents()));
          List<String> differences = differences(order, stored, storedLines);
          if (!differences.isEmpty()) {
            throw BusinessFailure.ORDER_CONFLICT.failure(
                "order "
                    + order.orderId()
                    + " already exists with different content: "
                    + String.join("; ", differences)
                    + " (an order ID identifies one order; use a new ID for a new order)");
          }
          if (CANCELLED.equals(stored.getStatus())) {
            throw BusinessFailure.ORDER_CLOSED.failure(
                "order "
                    + order.orderId()
                    + " was cancelled ("
                    + stored.getCancelReason()
                    + "); a cancelled order is not placed again, use a new order ID");
          }
          return new OrderCreated(stored.getOrderId(), stored.getTotalCents());
        });
  }

  /**
   * Marks the order cancelled. {@code applied} is false when there was nothing to cancel: no order
   * row (the create step never ran or never committed) or one cancelled by an earlier attempt.
   */
  public CompensationResult cancel(CancelOrder request) {
    int updated =
        dsl.update(ORDERS)
            .set(ORDERS.STATUS, CANCELLED)
            .set(ORDERS.CANCEL_KEY, OrderEffect.CANCEL_ORDER.key(request.orderId()).value())
            .set(ORDERS.CANCEL_REASON, request.reason())
            .set(ORDERS.UPDATED_AT, OffsetDateTime.now())
            .where(ORDERS.ORDER_ID.eq(request.orderId()))
            .and(ORDERS.STATUS.eq(CREATED))
            .execute();
    return new CompensationResult(request.orderId(), CompensationStep.CANCEL_ORDER, updated == 1);
  }

  private static List<String> differences(
      PlaceOrder order, OrdersRecord stored, List<OrderLine> storedLines) {
    List<String> differences = new ArrayList<>();
    if (!stored.getCustomerId().equals(order.customerId())) {
      differences.add("customer_id is " + stored.getCustomerId() + ", not " + order.customerId());
    }
    if (!stored.getCurrency().equals(order.currency())) {
      differences.add("currency is " + stored.getCurrency() + ", not " + order.currency());
    }
    if (!storedLines.equals(order.lines())) {
      differences.add("lines are " + storedLines + ", not " + order.lines());
    }
    return differences;
  }
}
