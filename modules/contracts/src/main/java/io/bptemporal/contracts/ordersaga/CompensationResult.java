package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Result of a compensation.
 *
 * @param orderId the order
 * @param step which compensation
 * @param applied {@code true} if something was undone, {@code false} if there was nothing to undo
 *     (or it had been undone by an earlier attempt)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompensationResult(String orderId, CompensationStep step, boolean applied) {

  public CompensationResult {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(step, "step");
  }
}
