package io.bptemporal.registry.store;

/**
 * What the last reconcile pass made of a registry row ({@code activity_schedule_status.status}).
 */
public enum ReconcileStatus {
  /**
   * The Temporal Schedule matches the row (or the row needs none: disabled, event-triggered only).
   */
  OK,
  /**
   * The row breaks a rule; it is not applied until it is fixed. The message says what and where.
   */
  INVALID,
  /** The row is valid but Temporal refused or failed the change; the next pass tries again. */
  ERROR
}
