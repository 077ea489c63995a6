package io.bptemporal.ordersaga.cli;

import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderResult;
import java.net.URI;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What became of one placed order, as printed by {@link PlaceOrdersMain}.
 *
 * @param orderId the order
 * @param workflowId its saga, {@code order:<order_id>}
 * @param result the saga's result; empty when it did not end normally (see {@code problem})
 * @param problem why there is no result: not awaited, timed out, the workflow failed or was
 *     cancelled
 * @param webUi the saga in the Temporal Web UI
 */
public record PlacedOrder(
    String orderId,
    String workflowId,
    Optional<OrderResult> result,
    Optional<String> problem,
    URI webUi) {

  /** {@code <ui>/namespaces/<namespace>/workflows/<workflow id>}; platform IDs need no escaping. */
  public static URI webUi(URI uiBase, String namespace, String workflowId) {
    String base = uiBase.toString().endsWith("/") ? uiBase.toString() : uiBase + "/";
    return URI.create(base + "namespaces/" + namespace + "/workflows/" + workflowId);
  }

  /**
   * The outcome as a word: COMPLETED, FAILED, CANCELLED, or what went wrong with the saga itself.
   */
  public String outcome() {
    return result.map(r -> r.outcome().name()).orElse(problem.map(p -> "NO RESULT").orElse("?"));
  }

  /** Three lines: outcome with the reason, workflow and compensations, the Web UI link. */
  public String describe() {
    StringBuilder text = new StringBuilder("order ").append(orderId).append(": ").append(outcome());
    result.ifPresent(
        r -> {
          text.append(" (total ").append(r.totalCents());
          r.paymentId().ifPresent(p -> text.append(", payment ").append(p));
          r.reservationId().ifPresent(res -> text.append(", reservation ").append(res));
          text.append(")");
          r.reason().ifPresent(reason -> text.append("\n  reason: ").append(reason));
        });
    problem.ifPresent(p -> text.append("\n  ").append(p));
    String compensations =
        result
            .map(
                r ->
                    r.compensationsRun().isEmpty()
                        ? "none"
                        : r.compensationsRun().stream()
                            .map(CompensationStep::name)
                            .collect(Collectors.joining(" → ")))
            .orElse("unknown");
    text.append("\n  workflow ")
        .append(workflowId)
        .append(" · compensations: ")
        .append(compensations);
    text.append("\n  ").append(webUi);
    return text.toString();
  }
}
