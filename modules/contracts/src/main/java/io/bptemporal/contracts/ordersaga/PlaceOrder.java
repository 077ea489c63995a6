package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Input of {@link OrderSagaWorkflow}: an order to place. Schema: {@code place-order/v1.json}.
 *
 * @param orderId the order's identity; the saga's workflow ID is {@code order:<order_id>}
 * @param customerId who orders
 * @param lines what is ordered, at least one line
 * @param currency ISO 4217 code, e.g. {@code EUR}; all amounts are in its minor unit
 * @param paymentMethod how the order is paid
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlaceOrder(
    String orderId,
    String customerId,
    List<OrderLine> lines,
    String currency,
    PaymentMethod paymentMethod) {

  public PlaceOrder {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(customerId, "customer_id");
    lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(paymentMethod, "payment_method");
  }

  /** Sum of all lines, in the currency's minor unit. */
  public long totalCents() {
    return lines.stream().mapToLong(OrderLine::lineTotalCents).reduce(0L, Math::addExact);
  }
}
