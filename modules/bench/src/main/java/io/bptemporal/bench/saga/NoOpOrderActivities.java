package io.bptemporal.bench.saga;

import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.CompensationStep;
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

/**
 * The saga's activities doing nothing but answering, as the Go peer's do: what is left of a saga is
 * the SDK, the JVM and the server. Registered by the benchmark only, never by a worker we ship.
 */
public final class NoOpOrderActivities implements OrderActivities {
  @Override
  public OrderCreated createOrder(PlaceOrder order) {
    return new OrderCreated(order.orderId(), order.totalCents());
  }

  @Override
  public PaymentReceipt chargePayment(ChargePayment request) {
    return new PaymentReceipt(
        request.orderId(), "pay_" + request.orderId(), request.amountCents(), request.currency());
  }

  @Override
  public InventoryReservation reserveInventory(ReserveInventory request) {
    return new InventoryReservation(request.orderId(), "res_" + request.orderId());
  }

  @Override
  public ConfirmationSent sendConfirmation(SendConfirmation request) {
    return new ConfirmationSent(request.orderId(), "msg_" + request.orderId());
  }

  @Override
  public CompensationResult refundPayment(RefundPayment request) {
    return new CompensationResult(request.orderId(), CompensationStep.REFUND_PAYMENT, true);
  }

  @Override
  public CompensationResult releaseInventory(ReleaseInventory request) {
    return new CompensationResult(request.orderId(), CompensationStep.RELEASE_INVENTORY, true);
  }

  @Override
  public CompensationResult cancelOrder(CancelOrder request) {
    return new CompensationResult(request.orderId(), CompensationStep.CANCEL_ORDER, true);
  }
}
