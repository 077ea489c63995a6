package io.bptemporal.ordersaga.payment;

import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.ordersaga.BusinessFailure;

/**
 * The provider when {@code PAYMENT_PROVIDER_URL} is not set (development, demos, tests): money
 * moves only in the ledger. References are derived from the idempotency key, so a retried attempt
 * produces the same reference. Two test tokens simulate refusals, the way providers' sandboxes do:
 * {@value #INSUFFICIENT_FUNDS_TOKEN} and {@value #DECLINED_TOKEN}.
 */
public final class LedgerOnlyProvider implements PaymentProvider {
  public static final String INSUFFICIENT_FUNDS_TOKEN = "tok_insufficient_funds";
  public static final String DECLINED_TOKEN = "tok_declined";

  @Override
  public String name() {
    return "ledger";
  }

  @Override
  public String charge(IdempotencyKey key, ChargePayment request) {
    String token = request.paymentMethod().token();
    if (INSUFFICIENT_FUNDS_TOKEN.equals(token)) {
      throw BusinessFailure.INSUFFICIENT_FUNDS.failure(
          "payment of "
              + request.amountCents()
              + " "
              + request.currency()
              + " for order "
              + request.orderId()
              + " declined: insufficient funds");
    }
    if (DECLINED_TOKEN.equals(token)) {
      throw BusinessFailure.PAYMENT_DECLINED.failure(
          "payment of "
              + request.amountCents()
              + " "
              + request.currency()
              + " for order "
              + request.orderId()
              + " declined by the issuer");
    }
    return "pay_" + reference(key);
  }

  @Override
  public String refund(
      IdempotencyKey key,
      String orderId,
      String paymentId,
      long amountCents,
      String currency,
      String reason) {
    return "ref_" + reference(key);
  }

  /** 16 hex digits of the key's SHA-256: stable across attempts, short enough to read. */
  static String reference(IdempotencyKey key) {
    return key.digest().substring("sha256:".length(), "sha256:".length() + 16);
  }
}
