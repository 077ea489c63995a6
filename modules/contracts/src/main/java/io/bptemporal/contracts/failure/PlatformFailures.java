package io.bptemporal.contracts.failure;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.Violation;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds the one failure shape of docs/contracts.md ("Errors"): a non-retryable {@link
 * ApplicationFailure} whose type is a {@link FailureCode}, whose message is for people and whose
 * first detail is the {@link FailureDetails}. The Web UI shows type and message at the top of a
 * failed workflow.
 */
public final class PlatformFailures {

  private PlatformFailures() {}

  public static ApplicationFailure failure(FailureCode code, String message) {
    return failure(code, message, List.of(), Optional.empty(), null);
  }

  public static ApplicationFailure failure(
      FailureCode code, String message, JsonNode context, Throwable cause) {
    return failure(code, message, List.of(), Optional.ofNullable(context), cause);
  }

  public static ApplicationFailure invalidInput(String message, List<Violation> violations) {
    return failure(FailureCode.INVALID_INPUT, message, violations, Optional.empty(), null);
  }

  public static ApplicationFailure failure(
      FailureCode code,
      String message,
      List<Violation> violations,
      Optional<JsonNode> context,
      Throwable cause) {
    return ApplicationFailure.newBuilder()
        .setType(code.type())
        .setMessage(message)
        .setNonRetryable(true)
        .setDetails(new FailureDetails(code, message, violations, context))
        .setCause(cause)
        .build();
  }

  /**
   * The failure a workflow ends with when one of its activities or child workflows failed: the
   * platform code of the innermost {@link ApplicationFailure} whose type is a code or is named in
   * {@code activityTypes} (an activity's own failure type → the workflow's code), else {@code
   * fallback}; the message is that failure's, the original failure is kept as the cause (the Web UI
   * shows the chain).
   */
  public static ApplicationFailure translate(
      TemporalFailure failure,
      java.util.Map<String, FailureCode> activityTypes,
      FailureCode fallback) {
    FailureCode code = fallback;
    String message = innermostMessage(failure);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application) {
        String type = application.getType();
        Optional<FailureCode> direct =
            Arrays.stream(FailureCode.values()).filter(c -> c.type().equals(type)).findFirst();
        FailureCode mapped = direct.orElse(activityTypes.get(type));
        if (mapped != null) {
          code = mapped;
          message = application.getOriginalMessage();
        }
      }
    }
    return failure(code, message, List.of(), Optional.empty(), failure);
  }

  /**
   * The platform code of the innermost {@link ApplicationFailure} in the cause chain whose type is
   * one.
   */
  public static Optional<FailureCode> codeIn(Throwable failure) {
    Optional<FailureCode> found = Optional.empty();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure application) {
        Optional<FailureCode> code =
            Arrays.stream(FailureCode.values())
                .filter(c -> c.type().equals(application.getType()))
                .findFirst();
        if (code.isPresent()) {
          found = code;
        }
      }
    }
    return found;
  }

  /** The innermost Temporal failure's message without the SDK's decoration. */
  public static String innermostMessage(Throwable failure) {
    String message = failure.getMessage();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TemporalFailure temporal) {
        message = temporal.getOriginalMessage();
      }
    }
    return message;
  }
}
