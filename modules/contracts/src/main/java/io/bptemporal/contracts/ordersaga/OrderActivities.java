package io.bptemporal.contracts.ordersaga;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The activities of the order saga, on task queue {@code orders-tq}. Each is idempotent under the
 * key named by {@link OrderEffect}; compensations return {@code applied = false} when there is
 * nothing to undo.
 */
@ActivityInterface
public interface OrderActivities {

  @ActivityMethod(name = "CreateOrder")
  OrderCreated createOrder(PlaceOrder order);

  @ActivityMethod(name = "ChargePayment")
  PaymentReceipt chargePayment(ChargePayment request);

  @ActivityMethod(name = "ReserveInventory")
  InventoryReservation reserveInventory(ReserveInventory request);

  @ActivityMethod(name = "SendConfirmation")
  ConfirmationSent sendConfirmation(SendConfirmation request);

  @ActivityMethod(name = "RefundPayment")
  CompensationResult refundPayment(RefundPayment request);

  @ActivityMethod(name = "ReleaseInventory")
  CompensationResult releaseInventory(ReleaseInventory request);

  @ActivityMethod(name = "CancelOrder")
  CompensationResult cancelOrder(CancelOrder request);
}
