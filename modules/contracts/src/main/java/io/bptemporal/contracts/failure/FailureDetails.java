package io.bptemporal.contracts.failure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.validation.Violation;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The first detail of every failure a platform workflow ends with (schema {@code
 * failure-details/v1.json}): what a client in any language reads to branch ({@code code}) and to
 * tell a person ({@code message}, {@code violations}).
 *
 * @param code the stable code, equal to the failure's type
 * @param message what happened, for people
 * @param violations for {@link FailureCode#INVALID_INPUT}: every violation with its JSON path, the
 *     value found and what is accepted; empty otherwise
 * @param context facts of the workflow when it failed, e.g. the order saga's {@code OrderResult}
 *     ({@code outcome}, {@code total_cents}, {@code payment_id}, {@code compensations_run}, {@code
 *     reason})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FailureDetails(
    FailureCode code, String message, List<Violation> violations, Optional<JsonNode> context) {

  public FailureDetails {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    violations = List.copyOf(Objects.requireNonNullElse(violations, List.of()));
    // An absent field reaches a JsonNode component as NullNode, not as an empty Optional.
    context =
        Objects.requireNonNullElse(context, Optional.<JsonNode>empty())
            .filter(node -> !node.isNull());
  }

  public static FailureDetails of(FailureCode code, String message) {
    return new FailureDetails(code, message, List.of(), Optional.empty());
  }

  /**
   * The details of the outermost platform failure in {@code failure}'s cause chain (e.g. a
   * WorkflowFailedException).
   */
  public static Optional<FailureDetails> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application
          && isCode(application.getType())
          && application.getDetails().getSize() > 0) {
        return Optional.of(application.getDetails().get(0, FailureDetails.class));
      }
    }
    return Optional.empty();
  }

  private static boolean isCode(String type) {
    for (FailureCode code : FailureCode.values()) {
      if (code.type().equals(type)) {
        return true;
      }
    }
    return false;
  }
}
