package io.bptemporal.ordersaga.activities;

import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.ConfirmationSent;
import io.bptemporal.contracts.ordersaga.InventoryReservation;
import io.bptemporal.contracts.ordersaga.OrderActivities;
import io.bptemporal.contracts.ordersaga.OrderCreated;
import io.bptemporal.contracts.ordersaga.PaymentReceipt;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.ordersaga.RefundPayment;
import io.bptemporal.contracts.ordersaga.ReleaseInventory;
import io.bptemporal.contracts.ordersaga.ReserveInventory;
import io.bptemporal.contracts.ordersaga.SendConfirmation;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.notification.ConfirmationOutbox;
import io.bptemporal.ordersaga.order.OrderBook;
import io.bptemporal.ordersaga.payment.PaymentLedger;
import io.bptemporal.ordersaga.payment.PaymentProvider;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * The saga's activities over the orders database; each effect is idempotent under its {@link
 * io.bptemporal.contracts.ordersaga.OrderEffect} key (see the feature classes for how). Stateless
 * apart from the pool and the provider, so one instance serves all concurrent activity executions.
 */
public final class OrderActivitiesImpl implements OrderActivities {
  private final OrderBook orders;
  private final PaymentLedger payments;
  private final InventoryReservations inventory;
  private final ConfirmationOutbox confirmations;

  public OrderActivitiesImpl(DataSource dataSource, PaymentProvider provider) {
    DSLContext dsl = OrdersSchema.dsl(dataSource);
    this.orders = new OrderBook(dsl);
    this.payments = new PaymentLedger(dsl, provider);
    this.inventory = new InventoryReservations(dsl);
    this.confirmations = new ConfirmationOutbox(dsl);
  }

  @Override
  public OrderCreated createOrder(PlaceOrder order) {
    return orders.create(order);
  }

  @Override
  public PaymentReceipt chargePayment(ChargePayment request) {
    return payments.charge(request);
  }

  @Override
  public InventoryReservation reserveInventory(ReserveInventory request) {
    return inventory.reserve(request);
  }

  @Override
  public ConfirmationSent sendConfirmation(SendConfirmation request) {
    return confirmations.send(request);
  }

  @Override
  public CompensationResult refundPayment(RefundPayment request) {
    return payments.refund(request);
  }

  @Override
  public CompensationResult releaseInventory(ReleaseInventory request) {
    return inventory.release(request);
  }

  @Override
  public CompensationResult cancelOrder(CancelOrder request) {
    return orders.cancel(request);
  }
}
