package io.bptemporal.ordersaga.payment;

import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.ordersaga.ChargePayment;

/**
 * Where money actually moves. Every call carries the effect's idempotency key, and a provider must
 * answer a repeated key with the first call's result: that is what makes a charge retried after a
 * crash (the provider charged, the worker died before recording it) land once.
 *
 * <p>Failures: a business refusal is a non-retryable {@code ApplicationFailure} of a {@link
 * io.bptemporal.ordersaga.BusinessFailure} type; anything else (unreachable, 5xx, timeout, circuit
 * open) is a retryable failure that Temporal retries with backoff.
 */
public interface PaymentProvider {

  /** {@code ledger} or {@code http}: stored with each ledger entry. */
  String name();

  /** Charges the order's amount; returns the provider's payment reference. */
  String charge(IdempotencyKey key, ChargePayment request);

  /**
   * Refunds {@code amountCents} of payment {@code paymentId}; returns the provider's refund
   * reference.
   */
  String refund(
      IdempotencyKey key,
      String orderId,
      String paymentId,
      long amountCents,
      String currency,
      String reason);
}
