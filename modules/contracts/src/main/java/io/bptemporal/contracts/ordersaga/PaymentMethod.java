package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * A payment instrument, by reference: {@code token} is the payment provider's handle for a stored
 * instrument (never a card number — workflow inputs are stored in Temporal's history in clear).
 *
 * @param type kind of instrument
 * @param token provider token, e.g. {@code tok_visa_4242}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PaymentMethod(PaymentMethodType type, String token) {

  public PaymentMethod {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(token, "token");
  }
}
