package io.bptemporal.contracts.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Workflow IDs, defined once. Every ID is deterministic — the same input gives the same ID in every
 * process and every language — so Temporal's "one open workflow per ID" rule de-duplicates starts.
 *
 * <table>
 *   <caption>ID formats</caption>
 *   <tr><th>workflow</th><th>ID</th><th>example</th></tr>
 *   <tr><td>scheduled run of an activity</td><td>{@code <activity_id>:<scheduled_for UTC>}</td>
 *       <td>{@code nightly-export:2026-11-21T00:00:00Z}</td></tr>
 *   <tr><td>event-triggered run of an activity</td><td>{@code <activity_id>:event:<event_id>}</td>
 *       <td>{@code invoice-sync:event:0f8fad5b-d9cb-469f-a165-70867728950e}</td></tr>
 *   <tr><td>an activity's events of one subject</td>
 *       <td>{@code <activity_id>:subject:<escaped subject>}</td>
 *       <td>{@code invoice-sync:subject:order_2Fo-1001}</td></tr>
 *   <tr><td>order saga</td><td>{@code order:<order_id>}</td><td>{@code order:o-1001}</td></tr>
 *   <tr><td>data pipeline</td><td>{@code pipeline:<pipeline_id>}</td>
 *       <td>{@code pipeline:orders-daily-2026-11-21}</td></tr>
 * </table>
 *
 * <p>A Temporal Schedule cannot be told the exact ID of the workflows it starts: it appends {@code
 * "-" + nominal time (RFC 3339, UTC, seconds)} to the ID in its action. The schedule of an activity
 * therefore uses the activity_id as that base (see {@link #scheduleActionBase(String)}), its runs
 * are named {@code nightly-export-2026-11-21T00:00:00Z}, and {@link #parseScheduledRun(String)}
 * recognises both spellings as the same {@link ScheduledRun}.
 */
public final class WorkflowIds {

  private static final String EVENT_MARKER = ":event:";
  private static final String SUBJECT_MARKER = ":subject:";
  private static final String SUBJECT_DIGEST_MARKER = ":subject-sha256:";
  private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();

  /** The envelope's limit on {@code subject}, in characters (code points). */
  public static final int MAX_SUBJECT_LENGTH = 255;

  public static final String SUBJECT_ACCEPTED =
      "1-255 characters naming the entity the event is about, e.g. order/o-1001";
  private static final String ORDER_PREFIX = "order:";
  private static final String PIPELINE_PREFIX = "pipeline:";

  /** Length of {@code 2026-11-21T00:00:00Z}. */
  private static final int TIMESTAMP_LENGTH = 20;

  private WorkflowIds() {}

  /** {@code nightly-export:2026-11-21T00:00:00Z}; scheduledFor must be a whole second. */
  public static String scheduledRun(String activityId, Instant scheduledFor) {
    return TemporalIds.check("scheduled run ID", new ScheduledRun(activityId, scheduledFor).key());
  }

  public static String scheduledRun(ScheduledRun run) {
    return TemporalIds.check("scheduled run ID", run.key());
  }

  /** {@code invoice-sync:event:<event_id>}: one run per activity and triggering event. */
  public static String eventRun(String activityId, String eventId) {
    IdentifierFormat.ACTIVITY_ID.check(activityId);
    IdentifierFormat.EVENT_ID.check(eventId);
    return TemporalIds.check("event run ID", activityId + EVENT_MARKER + eventId);
  }

  /**
   * {@code invoice-sync:subject:order_2Fo-1001}: the one {@code SubjectEventsWorkflow} of an
   * activity and an event subject. The subject is free text (1-255 characters, any Unicode), so it
   * is escaped into the ID's characters: every UTF-8 byte of a character other than {@code A-Z a-z
   * 0-9 . -} is written {@code _XX} (two uppercase hex digits), {@code _} itself included, so two
   * subjects never give the same ID ({@code order/o-1001} → {@code order_2Fo-1001}, {@code a_b} →
   * {@code a_5Fb}, {@code ü} → {@code _C3_BC}). When the escaped ID would be longer than Temporal's
   * limit, the subject is named by its digest instead: {@code <activity_id>:subject-sha256:<64
   * lowercase hex digits of SHA-256 over its UTF-8 bytes>}.
   */
  public static String subjectEvents(String activityId, String subject) {
    IdentifierFormat.ACTIVITY_ID.check(activityId);
    // Characters as JSON Schema counts them: code points.
    if (subject == null
        || subject.isEmpty()
        || subject.codePointCount(0, subject.length()) > MAX_SUBJECT_LENGTH) {
      throw new IllegalArgumentException(
          "subject "
              + (subject == null ? "is missing" : "'" + subject + "' is not valid")
              + "; accepted: "
              + SUBJECT_ACCEPTED);
    }
    String escaped = activityId + SUBJECT_MARKER + escapeSubject(subject);
    if (escaped.length() <= TemporalIds.MAX_LENGTH) {
      return TemporalIds.check("subject events ID", escaped);
    }
    return TemporalIds.check(
        "subject events ID", activityId + SUBJECT_DIGEST_MARKER + sha256Hex(subject));
  }

  /** The subject's part of {@link #subjectEvents(String, String)}: {@code _XX} escapes. */
  static String escapeSubject(String subject) {
    StringBuilder out = new StringBuilder(subject.length());
    for (byte b : subject.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-') {
        out.append(c);
      } else {
        out.append('_').append(HEX_UPPER.toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** {@code order:o-1001}. */
  public static String orderSaga(String orderId) {
    IdentifierFormat.ORDER_ID.check(orderId);
    return TemporalIds.check("order saga ID", ORDER_PREFIX + orderId);
  }

  /** {@code pipeline:orders-daily-2026-11-21}. */
  public static String dataPipeline(String pipelineId) {
    IdentifierFormat.PIPELINE_ID.check(pipelineId);
    return TemporalIds.check("data pipeline ID", PIPELINE_PREFIX + pipelineId);
  }

  /**
   * The schedule ID of an activity's Temporal Schedule: the activity_id itself (unique per
   * namespace).
   */
  public static String schedule(String activityId) {
    return IdentifierFormat.ACTIVITY_ID.check(activityId);
  }

  /**
   * The workflow ID put into the action of an activity's Temporal Schedule; the server appends
   * {@code -<nominal time>} to it for every run it starts.
   */
  public static String scheduleActionBase(String activityId) {
    return IdentifierFormat.ACTIVITY_ID.check(activityId);
  }

  /**
   * Reads the scheduled run back from a workflow ID, in either spelling: ours ({@code
   * nightly-export:2026-11-21T00:00:00Z}) or the one a Temporal Schedule produces ({@code
   * nightly-export-2026-11-21T00:00:00Z}). Empty for any other ID.
   */
  public static Optional<ScheduledRun> parseScheduledRun(String workflowId) {
    if (workflowId == null || workflowId.length() < TIMESTAMP_LENGTH + 2) {
      return Optional.empty();
    }
    int split = workflowId.length() - TIMESTAMP_LENGTH - 1;
    char separator = workflowId.charAt(split);
    if (separator != ':' && separator != '-') {
      return Optional.empty();
    }
    String activityId = workflowId.substring(0, split);
    String timestamp = workflowId.substring(split + 1);
    if (!IdentifierFormat.ACTIVITY_ID.matches(activityId)) {
      return Optional.empty();
    }
    try {
      Instant scheduledFor = Instant.from(ScheduledRun.SCHEDULED_FOR.parse(timestamp));
      return Optional.of(new ScheduledRun(activityId, scheduledFor));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
