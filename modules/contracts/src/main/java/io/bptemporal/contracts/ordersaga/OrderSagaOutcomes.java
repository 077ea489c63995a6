package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.FailureDetails;
import io.bptemporal.contracts.json.ContractJson;
import io.temporal.client.WorkflowFailedException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The order saga's outcome for Java callers, whichever way it ended (docs/contracts.md, "Errors"):
 * a placed order is the workflow's result; an order that was refused or cancelled is a failed
 * workflow whose failure type is the {@link FailureCode} and whose details carry the {@link
 * OrderResult} as {@code context}.
 */
public final class OrderSagaOutcomes {

  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  private OrderSagaOutcomes() {}

  /**
   * Runs {@code call} (e.g. {@code saga::placeOrder} or a stub's getResult) and returns the result
   * either way.
   */
  public static OrderResult resultOf(Supplier<OrderResult> call) {
    try {
      return call.get();
    } catch (WorkflowFailedException e) {
      return fromFailure(e).orElseThrow(() -> e);
    }
  }

  /**
   * The {@link OrderResult} a failed saga left in its failure details, if it is one of the saga's
   * outcomes.
   */
  public static Optional<OrderResult> fromFailure(Throwable failure) {
    return FailureDetails.in(failure)
        .flatMap(FailureDetails::context)
        .filter(context -> context.has("order_id") && context.has("outcome"))
        .map(context -> JSON.convertValue(context, OrderResult.class));
  }
}
