package io.bptemporal.contracts.ordersaga;

import io.bptemporal.contracts.idempotency.IdempotencyKey;

/**
 * The side effects of the order saga and their idempotency keys. Each is a business key on the
 * order ID, so an effect happens once per order however often the activity, or the whole saga, is
 * repeated.
 */
public enum OrderEffect {
  CREATE_ORDER("order.create"),
  CHARGE_PAYMENT("payment.charge"),
  RESERVE_INVENTORY("inventory.reserve"),
  SEND_CONFIRMATION("order.confirmation"),
  REFUND_PAYMENT("payment.refund"),
  RELEASE_INVENTORY("inventory.release"),
  CANCEL_ORDER("order.cancel");

  private final String scope;

  OrderEffect(String scope) {
    this.scope = scope;
  }

  public String scope() {
    return scope;
  }

  /** e.g. {@code payment.charge/o-1001}. */
  public IdempotencyKey key(String orderId) {
    return IdempotencyKey.ofBusinessKey(scope, orderId);
  }
}
