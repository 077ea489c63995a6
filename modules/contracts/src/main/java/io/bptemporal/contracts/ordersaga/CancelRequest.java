package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Argument of the saga's {@code cancel} signal.
 *
 * @param reason why, shown in the order's status and passed to the compensations, e.g. "customer
 *     request"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CancelRequest(String reason) {

  public CancelRequest {
    Objects.requireNonNull(reason, "reason");
  }
}
