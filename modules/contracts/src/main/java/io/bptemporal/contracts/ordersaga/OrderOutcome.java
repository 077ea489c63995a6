package io.bptemporal.contracts.ordersaga;

/** Where an order saga stands. */
public enum OrderOutcome {
  /** Forward steps are running. */
  IN_PROGRESS,
  /** A step failed or a cancel arrived; compensations are running. */
  COMPENSATING,
  /** Every step succeeded. */
  COMPLETED,
  /** Cancelled by signal; everything done so far was compensated. */
  CANCELLED,
  /** A step failed; everything done so far was compensated. */
  FAILED
}
