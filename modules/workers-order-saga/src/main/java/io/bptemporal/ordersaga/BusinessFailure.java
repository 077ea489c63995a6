package io.bptemporal.ordersaga;

import io.bptemporal.contracts.failure.FailureCode;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.util.Arrays;
import java.util.Optional;

/**
 * The business failures of the order saga: outcomes that another attempt cannot change (the
 * customer has no funds, the stock is gone). Activities throw them as non-retryable {@link
 * ApplicationFailure}s with the {@link #type()} as failure type, and the workflow's retry options
 * list the same types as {@code doNotRetry} — both, so that neither a forgotten flag in an activity
 * nor an activity written in another language makes Temporal retry a decline. Everything else (a
 * database or provider outage, a timeout) is an infrastructure failure that Temporal retries with
 * backoff.
 */
public enum BusinessFailure {
  /**
   * The order does not satisfy the place-order contract (docs/contracts.md); the message lists
   * every violation.
   */
  INVALID_ORDER("InvalidOrder"),
  /** The order ID was used before with different content (customer, currency or lines). */
  ORDER_CONFLICT("OrderConflict"),
  /**
   * The order exists but was cancelled: a later saga under the same order ID must not revive it.
   */
  ORDER_CLOSED("OrderClosed"),
  /** The payment provider (or the ledger-only simulation) declined: not enough funds. */
  INSUFFICIENT_FUNDS("InsufficientFunds"),
  /**
   * The payment provider declined the charge for another reason (invalid token, fraud rules, ...).
   */
  PAYMENT_DECLINED("PaymentDeclined"),
  /**
   * The order's payment was refunded or voided by a compensation before this charge attempt landed.
   */
  PAYMENT_VOIDED("PaymentVoided"),
  /** The provider refused a refund: a person must look at it (the saga fails loudly). */
  REFUND_REJECTED("RefundRejected"),
  /** A line asks for more than is available; nothing was reserved. */
  OUT_OF_STOCK("OutOfStock"),
  /** A line names a SKU the inventory does not know; nothing was reserved. */
  UNKNOWN_SKU("UnknownSku"),
  /**
   * The order's reservation was released by a compensation before this reservation attempt landed.
   */
  RESERVATION_RELEASED("ReservationReleased"),
  /** The order total is above the single-order limit (workflow version 2 and later). */
  ORDER_LIMIT_EXCEEDED("OrderLimitExceeded");

  private final String type;

  BusinessFailure(String type) {
    this.type = type;
  }

  /** The failure type as it appears in the workflow history, e.g. {@code OutOfStock}. */
  public String type() {
    return type;
  }

  /**
   * A non-retryable failure of this type; {@code message} says what happened, with the values
   * involved.
   */
  public ApplicationFailure failure(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  /**
   * The code a saga refused by this failure ends with (docs/contracts.md, "Errors"): the constant's
   * own name, except an invalid order, which is the platform's {@code INVALID_INPUT}.
   */
  public FailureCode code() {
    return this == INVALID_ORDER
        ? FailureCode.INVALID_INPUT
        : this == REFUND_REJECTED ? FailureCode.COMPENSATION_FAILED : FailureCode.valueOf(name());
  }

  /** Every type, for {@code RetryOptions.setDoNotRetry}. */
  public static String[] types() {
    return Arrays.stream(values()).map(BusinessFailure::type).toArray(String[]::new);
  }

  /** The business failure somewhere in {@code failure}'s cause chain, if there is one. */
  public static Optional<BusinessFailure> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application) {
        String found = application.getType();
        Optional<BusinessFailure> match =
            Arrays.stream(values()).filter(b -> b.type.equals(found)).findFirst();
        if (match.isPresent()) {
          return match;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The innermost Temporal failure's message without the SDK's decoration, for reasons shown to
   * people.
   */
  public static String describe(Throwable failure) {
    Throwable innermost = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TemporalFailure) {
        innermost = t;
      }
    }
    if (innermost instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    if (innermost instanceof TemporalFailure temporal) {
      return innermost.getClass().getSimpleName() + ": " + temporal.getOriginalMessage();
    }
    return innermost.toString();
  }
}
