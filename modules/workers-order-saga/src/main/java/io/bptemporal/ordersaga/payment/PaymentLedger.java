package io.bptemporal.ordersaga.payment;

import static io.bptemporal.ordersaga.db.schema.Tables.PAYMENT_LEDGER;

import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderEffect;
import io.bptemporal.contracts.ordersaga.PaymentReceipt;
import io.bptemporal.contracts.ordersaga.RefundPayment;
import io.bptemporal.ordersaga.BusinessFailure;
import io.bptemporal.ordersaga.db.schema.tables.records.PaymentLedgerRecord;
import java.util.Optional;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges and refunds: the provider moves the money, the {@code payment_ledger} table records it
 * under the effect's idempotency key. The order of work makes a retry after a crash at any point
 * safe:
 *
 * <ol>
 *   <li>an attempt first looks for the entry an earlier attempt recorded, and returns it;
 *   <li>otherwise it calls the provider with the idempotency key — a provider answers a repeated
 *       key with the first call's result, so a crash between the provider call and the ledger
 *       insert costs nothing;
 *   <li>then it records the entry ({@code ON CONFLICT DO NOTHING}, then read back).
 * </ol>
 *
 * Both ledger transactions of one order hold a transaction-scoped advisory lock on it, so a charge
 * and the refund that compensates it never interleave. A refund that finds no charge writes a
 * {@code VOID} entry under the refund key: a charge attempt arriving after the compensation (an
 * attempt that outlived its timeout) then refuses to charge, or, if the provider already charged,
 * gives the money back at once.
 */
public final class PaymentLedger {
  private static final Logger log = LoggerFactory.getLogger(PaymentLedger.class);
  static final String CHARGE = "CHARGE";
  static final String REFUND = "REFUND";
  static final String VOID = "VOID";

  private final DSLContext dsl;
  private final PaymentProvider provider;

  public PaymentLedger(DSLContext dsl, PaymentProvider provider) {
    this.dsl = dsl;
    this.provider = provider;
  }

  public PaymentReceipt charge(ChargePayment request) {
    String orderId = request.orderId();
    IdempotencyKey chargeKey = OrderEffect.CHARGE_PAYMENT.key(orderId);
    LedgerState state =
        dsl.transactionResult(
            tx -> {
              lockOrder(tx.dsl(), orderId);
              return LedgerState.of(tx.dsl(), orderId);
            });
    if (state.charge().isEmpty() && state.closing().isEmpty()) {
      String paymentId = provider.charge(chargeKey, request);
      state =
          dsl.transactionResult(
              tx -> {
                DSLContext db = tx.dsl();
                lockOrder(db, orderId);
                // Recorded even when a VOID appeared meanwhile: the provider did charge, and the
                // ledger says so.
                if (insert(
                        db,
                        chargeKey,
                        orderId,
                        CHARGE,
                        request.amountCents(),
                        request.currency(),
                        paymentId,
                        Optional.empty())
                    == 1) {
                  log.info(
                      "charged {} {} for order {} ({}, provider {})",
                      request.amountCents(),
                      request.currency(),
                      orderId,
                      paymentId,
                      provider.name());
                }
                return LedgerState.of(db, orderId);
              });
    }
    if (state.charge().isPresent() && state.closing().isEmpty()) {
      return receipt(state.charge().get());
    }
    if (state.charge().isPresent() && VOID.equals(state.closing().get().getEntryKind())) {
      refundLateCharge(state.charge().get());
    }
    throw BusinessFailure.PAYMENT_VOIDED.failure(
        "payment of order "
            + orderId
            + " was refunded or voided by a"
            + " compensation before this charge attempt; the order is not charged");
  }

  /**
   * A charge landed after the compensation voided the payment (an attempt that outlived its
   * timeout): the money goes straight back, and the VOID becomes the refund it now is. A crash in
   * between is safe: the next attempt finds CHARGE + VOID again and repeats this with the same
   * refund key.
   */
  private void refundLateCharge(PaymentLedgerRecord charge) {
    IdempotencyKey refundKey = OrderEffect.REFUND_PAYMENT.key(charge.getOrderId());
    String refundId =
        provider.refund(
            refundKey,
            charge.getOrderId(),
            charge.getReference(),
            charge.getAmountCents(),
            charge.getCurrency(),
            "charge landed after the order's payment was voided");
    dsl.transaction(
        tx -> {
          lockOrder(tx.dsl(), charge.getOrderId());
          tx.dsl()
              .update(PAYMENT_LEDGER)
              .set(PAYMENT_LEDGER.ENTRY_KIND, REFUND)
              .set(PAYMENT_LEDGER.AMOUNT_CENTS, charge.getAmountCents())
              .set(PAYMENT_LEDGER.REFERENCE, refundId)
              .where(PAYMENT_LEDGER.IDEMPOTENCY_KEY.eq(refundKey.value()))
              .and(PAYMENT_LEDGER.ENTRY_KIND.eq(VOID))
              .execute();
        });
    log.warn(
        "charge {} of order {} landed after the payment was voided; refunded at once ({})",
        charge.getReference(),
        charge.getOrderId(),
        refundId);
  }

  /** The order's CHARGE entry and its closing (REFUND or VOID) entry, as far as they exist. */
  private record LedgerState(
      Optional<PaymentLedgerRecord> charge, Optional<PaymentLedgerRecord> closing) {
    static LedgerState of(DSLContext db, String orderId) {
      return new LedgerState(entry(db, orderId, CHARGE), closingEntry(db, orderId));
    }
  }

  /**
   * Refunds the order's charge. {@code applied} is false when there was nothing to refund (then a
   * VOID is recorded) or an earlier attempt already refunded it.
   */
  public CompensationResult refund(RefundPayment request) {
    String orderId = request.orderId();
    IdempotencyKey refundKey = OrderEffect.REFUND_PAYMENT.key(orderId);
    Optional<PaymentLedgerRecord> toRefund =
        dsl.transactionResult(
            tx -> {
              DSLContext db = tx.dsl();
              lockOrder(db, orderId);
              if (closingEntry(db, orderId).isPresent()) {
                return Optional.<PaymentLedgerRecord>empty();
              }
              Optional<PaymentLedgerRecord> charge = entry(db, orderId, CHARGE);
              if (charge.isEmpty()) {
                insert(
                    db,
                    refundKey,
                    orderId,
                    VOID,
                    0,
                    request.currency(),
                    "-",
                    Optional.of(request.reason()));
                log.info(
                    "nothing to refund for order {}: no charge; payment voided ({})",
                    orderId,
                    request.reason());
              }
              return charge;
            });
    if (toRefund.isEmpty()) {
      return new CompensationResult(orderId, CompensationStep.REFUND_PAYMENT, false);
    }
    PaymentLedgerRecord charge = toRefund.get();
    if (request.amountCents() > charge.getAmountCents()) {
      throw BusinessFailure.REFUND_REJECTED.failure(
          "refund of "
              + request.amountCents()
              + " for order "
              + orderId
              + " exceeds its charge of "
              + charge.getAmountCents()
              + " "
              + charge.getCurrency());
    }
    String refundId =
        provider.refund(
            refundKey,
            orderId,
            charge.getReference(),
            request.amountCents(),
            charge.getCurrency(),
            request.reason());
    boolean applied =
        dsl.transactionResult(
            tx -> {
              DSLContext db = tx.dsl();
              lockOrder(db, orderId);
              return insert(
                      db,
                      refundKey,
                      orderId,
                      REFUND,
                      request.amountCents(),
                      charge.getCurrency(),
                      refundId,
                      Optional.of(request.reason()))
                  == 1;
            });
    if (applied) {
      log.info(
          "refunded {} {} of payment {} for order {} ({}): {}",
          request.amountCents(),
          charge.getCurrency(),
          charge.getReference(),
          orderId,
          refundId,
          request.reason());
    }
    return new CompensationResult(orderId, CompensationStep.REFUND_PAYMENT, applied);
  }

  private static void lockOrder(DSLContext db, String orderId) {
    // Transaction-scoped: released by commit or rollback, so a crashed worker never leaves it held.
    db.execute("select pg_advisory_xact_lock(hashtext({0}))", "payment_ledger/" + orderId);
  }

  private static Optional<PaymentLedgerRecord> entry(DSLContext db, String orderId, String kind) {
    return db.selectFrom(PAYMENT_LEDGER)
        .where(PAYMENT_LEDGER.ORDER_ID.eq(orderId))
        .and(PAYMENT_LEDGER.ENTRY_KIND.eq(kind))
        .fetchOptional();
  }

  /** The REFUND or VOID entry of the order: its payment is closed. */
  private static Optional<PaymentLedgerRecord> closingEntry(DSLContext db, String orderId) {
    return db.selectFrom(PAYMENT_LEDGER)
        .where(PAYMENT_LEDGER.ORDER_ID.eq(orderId))
        .and(PAYMENT_LEDGER.ENTRY_KIND.in(REFUND, VOID))
        .fetchOptional();
  }

  private int insert(
      DSLContext db,
      IdempotencyKey key,
      String orderId,
      String kind,
      long amountCents,
      String currency,
      String reference,
      Optional<String> reason) {
    return db.insertInto(PAYMENT_LEDGER)
        .set(PAYMENT_LEDGER.IDEMPOTENCY_KEY, key.value())
        .set(PAYMENT_LEDGER.ORDER_ID, orderId)
        .set(PAYMENT_LEDGER.ENTRY_KIND, kind)
        .set(PAYMENT_LEDGER.AMOUNT_CENTS, amountCents)
        .set(PAYMENT_LEDGER.CURRENCY, currency)
        .set(PAYMENT_LEDGER.REFERENCE, reference)
        .set(PAYMENT_LEDGER.PROVIDER, provider.name())
        .set(PAYMENT_LEDGER.REASON, reason.orElse(null))
        .onConflictDoNothing()
        .execute();
  }

  private static PaymentReceipt receipt(PaymentLedgerRecord charge) {
    return new PaymentReceipt(
        charge.getOrderId(), charge.getReference(), charge.getAmountCents(), charge.getCurrency());
  }
}
