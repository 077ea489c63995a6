package io.bptemporal.router.relay;

/**
 * One claimed outbox row, ready to publish or not publishable.
 *
 * <p>{@code key} is the record key: the envelope's subject, else the row's id. It is also what an
 * unpublishable row holds back: the rows of the same key after it wait with it, so a subject's
 * events are never published out of order.
 */
public sealed interface OutboxRow {
  /** The row's primary key ({@code event_id}, {@code message_id}). */
  String rowId();

  String key();

  /**
   * @param eventId the envelope's {@code event_id}, stable for the row: a consumer dedupes by it
   * @param value the envelope as UTF-8 JSON
   */
  record Ready(String rowId, String key, String eventId, String type, byte[] value)
      implements OutboxRow {}

  /**
   * @param problem what is wrong with the row, where and what is accepted
   */
  record Unpublishable(String rowId, String key, String problem) implements OutboxRow {}
}
