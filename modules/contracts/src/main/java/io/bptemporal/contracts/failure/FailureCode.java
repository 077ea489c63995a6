package io.bptemporal.contracts.failure;

/**
 * The stable codes a client branches on when a workflow fails (docs/contracts.md, "Errors"). A
 * failed workflow's failure is an {@code ApplicationFailure} whose <em>type</em> is one of these
 * names and whose first detail is a {@link FailureDetails} with the same code; the message is for
 * people.
 *
 * <p>Codes are never renamed or reused; a new one is an additive change of the contract.
 */
public enum FailureCode {
  /**
   * The payload broke its contract (JSON Schema and rules); {@code violations} lists every one.
   * Nothing was done.
   */
  INVALID_INPUT,
  /**
   * The workflow ID does not follow the rule of its workflow type (e.g. {@code order:<order_id>}).
   * Nothing was done.
   */
  WORKFLOW_ID_MISMATCH,

  /** Order saga: the order ID was used before with different content. */
  ORDER_CONFLICT,
  /**
   * Order saga: the order exists and was cancelled; a later saga under its ID must not revive it.
   */
  ORDER_CLOSED,
  /**
   * Order saga: the total is above the single-order limit; only the order was cancelled, no money
   * moved.
   */
  ORDER_LIMIT_EXCEEDED,
  /** Order saga: the payment was declined for lack of funds; the order was cancelled. */
  INSUFFICIENT_FUNDS,
  /** Order saga: the payment was declined (token, fraud rules, ...); the order was cancelled. */
  PAYMENT_DECLINED,
  /** Order saga: a compensation voided the payment before this charge attempt landed. */
  PAYMENT_VOIDED,
  /**
   * Order saga: a line asks for more than is in stock; the payment was refunded, the order
   * cancelled.
   */
  OUT_OF_STOCK,
  /** Order saga: a line names a SKU the inventory does not know; refunded and cancelled. */
  UNKNOWN_SKU,
  /** Order saga: a compensation released the reservation before this reservation attempt landed. */
  RESERVATION_RELEASED,
  /** Order saga: a {@code cancel} signal was accepted; what was done is undone. */
  ORDER_CANCELLED,
  /**
   * A step kept failing (database or provider down) until its deadline or attempts ran out; the
   * saga compensated.
   */
  STEP_UNAVAILABLE,
  /**
   * Order saga: a compensation was refused for good (e.g. a refund); money or stock needs a person.
   */
  COMPENSATION_FAILED,

  /**
   * Data pipeline: request, rule set, source or target cannot work (the message names what and what
   * is accepted).
   */
  PIPELINE_SETUP_FAILED,

  /** RunActivity: the registry has no row for the activity. */
  DEFINITION_NOT_FOUND,
  /** RunActivity: the requested revision of the definition was never archived. */
  DEFINITION_REVISION_NOT_FOUND,
  /** RunActivity: the registry row breaks the activity-definition contract. */
  INVALID_DEFINITION,
  /**
   * RunActivity: the definition's task rules cannot be evaluated (unknown path, malformed rule, too
   * many tasks).
   */
  INVALID_TASK_RULES;

  /** The failure type a workflow fails with: the code itself. */
  public String type() {
    return name();
  }
}
