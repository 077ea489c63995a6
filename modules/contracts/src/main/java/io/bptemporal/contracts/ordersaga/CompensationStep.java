package io.bptemporal.contracts.ordersaga;

/** The compensations of the order saga; they run in reverse order of the steps they undo. */
public enum CompensationStep {
  /** Undoes {@link OrderStep#RESERVE_INVENTORY}. */
  RELEASE_INVENTORY,
  /** Undoes {@link OrderStep#CHARGE_PAYMENT}. */
  REFUND_PAYMENT,
  /** Undoes {@link OrderStep#CREATE_ORDER}. */
  CANCEL_ORDER
}
