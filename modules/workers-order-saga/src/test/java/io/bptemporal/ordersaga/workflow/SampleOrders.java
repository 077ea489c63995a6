package io.bptemporal.ordersaga.workflow;

import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.PaymentMethod;
import io.bptemporal.contracts.ordersaga.PaymentMethodType;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import java.util.List;

/** Orders for tests: 2 × 1299 + 1 × 450 = 3048 cents. */
public final class SampleOrders {
  private SampleOrders() {}

  public static PlaceOrder mugAndTea(String orderId) {
    return new PlaceOrder(
        orderId,
        "c-42",
        List.of(new OrderLine("SKU-RED-MUG", 2, 1299), new OrderLine("SKU-TEA-01", 1, 450)),
        "EUR",
        new PaymentMethod(PaymentMethodType.CARD, "tok_visa_4242"));
  }

  public static PlaceOrder withLines(String orderId, String token, List<OrderLine> lines) {
    return new PlaceOrder(
        orderId, "c-42", lines, "EUR", new PaymentMethod(PaymentMethodType.CARD, token));
  }
}
