package io.bptemporal.contracts.ordersaga;

/** The forward steps of the order saga, in the order they run. */
public enum OrderStep {
  CREATE_ORDER,
  CHARGE_PAYMENT,
  RESERVE_INVENTORY,
  SEND_CONFIRMATION
}
