package io.bptemporal.ordersaga.cli;

import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.PaymentMethod;
import io.bptemporal.contracts.ordersaga.PaymentMethodType;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.ordersaga.payment.LedgerOnlyProvider;
import java.util.List;
import java.util.Map;

/**
 * The orders {@code make run} places: each shows one path through the saga. Order IDs carry the
 * run's stamp, so every run places new orders (an order ID identifies one order for good); the
 * stock they need is seeded with {@code ensureAvailable}, which a second run leaves as it is.
 */
public final class DemoOrders {
  /** Mugs and tea for every run; a single poster, so an order of five can never be reserved. */
  public static final Map<String, Integer> STOCK =
      Map.of("SKU-DEMO-MUG", 1000, "SKU-DEMO-TEA", 1000, "SKU-DEMO-POSTER", 1);

  /** One demo order and what it must end with. */
  public record DemoOrder(
      String story,
      PlaceOrder order,
      OrderOutcome expectedOutcome,
      List<CompensationStep> expectedCompensations) {}

  private DemoOrders() {}

  /**
   * @param stamp distinguishes this run's orders, e.g. {@code 20261121-153000}
   */
  public static List<DemoOrder> forRun(String stamp) {
    String prefix = "o-demo-" + stamp + "-";
    return List.of(
        new DemoOrder(
            "completes: charged, reserved, confirmed",
            order(
                prefix + "ok",
                "tok_visa_4242",
                line("SKU-DEMO-MUG", 2, 1299),
                line("SKU-DEMO-TEA", 1, 450)),
            OrderOutcome.COMPLETED,
            List.of()),
        new DemoOrder(
            "fails at inventory (5 posters, 1 in stock): refunded and cancelled",
            order(
                prefix + "out-of-stock",
                "tok_visa_4242",
                line("SKU-DEMO-MUG", 1, 1299),
                line("SKU-DEMO-POSTER", 5, 2500)),
            OrderOutcome.FAILED,
            List.of(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER)),
        new DemoOrder(
            "declined at payment (insufficient funds): cancelled",
            order(
                prefix + "declined",
                LedgerOnlyProvider.INSUFFICIENT_FUNDS_TOKEN,
                line("SKU-DEMO-TEA", 3, 450)),
            OrderOutcome.FAILED,
            List.of(CompensationStep.CANCEL_ORDER)),
        new DemoOrder(
            "over the single-order limit (workflow version 2): cancelled before any money moves",
            order(prefix + "over-limit", "tok_visa_4242", line("SKU-DEMO-MUG", 1000, 1299)),
            OrderOutcome.FAILED,
            List.of(CompensationStep.CANCEL_ORDER)));
  }

  private static PlaceOrder order(String orderId, String token, OrderLine... lines) {
    return new PlaceOrder(
        orderId, "c-demo", List.of(lines), "EUR", new PaymentMethod(PaymentMethodType.CARD, token));
  }

  private static OrderLine line(String sku, int quantity, long unitPriceCents) {
    return new OrderLine(sku, quantity, unitPriceCents);
  }
}
