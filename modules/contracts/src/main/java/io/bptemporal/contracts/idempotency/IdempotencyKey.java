package io.bptemporal.contracts.idempotency;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.temporal.activity.ActivityInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The key that makes one side effect happen once although the activity performing it may run
 * several times (Temporal executes activities at least once). Store it with the effect under a
 * unique constraint, or send it as the {@code Idempotency-Key} of an external call; a repeated
 * attempt then finds the first one's result instead of repeating the effect.
 *
 * <p>Which key to use:
 *
 * <ul>
 *   <li>{@link #ofBusinessKey(String, String)} — <b>preferred</b> whenever the effect has a
 *       business identity ("charge order o-1001"). It survives everything: activity retries,
 *       workflow resets, continue-as-new, a second workflow started for the same order.
 *   <li>{@link #ofActivity(ActivityInfo)} — when the effect has no business identity. Built from
 *       workflow ID, run ID and activity ID, which stay the same across the retries of one activity
 *       execution. The run ID is part of the key on purpose: activity IDs are sequence numbers
 *       within one run, so a reset, continue-as-new or a new run under the same workflow ID numbers
 *       its activities from the start again, and without the run ID an unrelated call would find a
 *       stale result. The consequence: a reset repeats such effects — use a business key for
 *       anything that must not be repeated then (money, messages to people).
 * </ul>
 *
 * <p>Format: {@code <scope>/<key>} or {@code activity/<workflow id>/<run id>/<activity id>}. Parts
 * are percent-encoded outside {@code A-Z a-z 0-9 . _ : -}, so {@code /} only ever separates parts
 * and two different inputs never give the same key. Each part is at most 255 bytes of UTF-8 before
 * encoding (Temporal's ID limit). Keys are ASCII; store them as {@code text}, and use {@link
 * #digest()} where a system limits the length (many payment providers accept 255 characters).
 *
 * @param value the key as stored and sent
 */
public record IdempotencyKey(String value) {

  /** The scope reserved for {@link #ofActivity} keys. */
  public static final String ACTIVITY_SCOPE = "activity";

  public static final String SCOPE_ACCEPTED =
      "1-64 characters: lowercase letters, digits, '.', '_' and '-',"
          + " starting with a letter, e.g. payment.charge (\""
          + ACTIVITY_SCOPE
          + "\" is reserved)";

  private static final Pattern SCOPE = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:%/-]{3,2400}");
  private static final int MAX_PART_LENGTH = 255;

  @JsonCreator
  public IdempotencyKey {
    if (value == null || !VALUE.matcher(value).matches() || value.indexOf('/') < 1) {
      throw new IllegalArgumentException(
          "idempotency key '"
              + value
              + "' is not valid; accepted: a key built by"
              + " IdempotencyKey.ofBusinessKey or IdempotencyKey.ofActivity, e.g. payment.charge/o-1001");
    }
  }

  /**
   * A key from a business identity: {@code ofBusinessKey("payment.charge", "o-1001")} gives {@code
   * payment.charge/o-1001}. The scope names the effect, so one order's charge and refund differ.
   */
  public static IdempotencyKey ofBusinessKey(String scope, String key) {
    if (scope == null || !SCOPE.matcher(scope).matches() || scope.equals(ACTIVITY_SCOPE)) {
      throw new IllegalArgumentException(
          "idempotency scope '" + scope + "' is not valid; accepted: " + SCOPE_ACCEPTED);
    }
    return new IdempotencyKey(scope + "/" + encodePart("business key", key));
  }

  /** A key for the current attempt's activity execution, the same for each of its retries. */
  public static IdempotencyKey ofActivity(ActivityInfo info) {
    if (!info.isInWorkflow()) {
      throw new IllegalArgumentException(
          "activity "
              + info.getActivityId()
              + " of type "
              + info.getActivityType()
              + " runs outside a workflow, so it has no workflow run to key on; use IdempotencyKey.ofBusinessKey");
    }
    return ofActivity(info.getWorkflowId(), info.getWorkflowRunId(), info.getActivityId());
  }

  /**
   * {@code activity/<workflow id>/<run id>/<activity id>}; see the class comment for why the run ID
   * is needed.
   */
  public static IdempotencyKey ofActivity(String workflowId, String runId, String activityId) {
    return new IdempotencyKey(
        ACTIVITY_SCOPE
            + "/"
            + encodePart("workflow ID", workflowId)
            + "/"
            + encodePart("run ID", runId)
            + "/"
            + encodePart("activity ID", activityId));
  }

  /**
   * {@code sha256:<64 hex digits>} of the key, 71 characters: for external systems that limit key
   * length. Keep the full key in your own store; the digest cannot be read back.
   */
  public String digest() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }

  /** Percent-encodes (UTF-8) every character outside A-Z a-z 0-9 . _ : - ; '%' itself included. */
  private static String encodePart(String what, String part) {
    if (part == null || part.isEmpty()) {
      throw new IllegalArgumentException(what + " of an idempotency key must not be empty");
    }
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_PART_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " of an idempotency key is "
              + bytes.length
              + " bytes long; accepted: at most "
              + MAX_PART_LENGTH
              + " bytes of UTF-8");
    }
    StringBuilder encoded = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      char c = (char) (b & 0xFF);
      boolean plain =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (plain) {
        encoded.append(c);
      } else {
        encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return encoded.toString();
  }
}
