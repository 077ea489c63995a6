package io.bptemporal.router.kafka;

import io.bptemporal.router.decode.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a record the router cannot route to the dead-letter topic, unchanged: same key, same value
 * bytes (replay is re-producing the value to the source topic), the original headers, plus
 *
 * <ul>
 *   <li>{@value #REASON}: what is wrong, where, what is accepted;
 *   <li>{@value #REASON_KIND}: the reason's fixed kind ({@link DeadLetterReason#label()});
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}: where it was
 *       read;
 *   <li>{@value #AT}: when it was dead-lettered (RFC 3339).
 * </ul>
 *
 * The letter is not sent here: it waits with its partition's progress and is sent in the Kafka
 * transaction that commits the source offset past it ({@link CommitTransactions}), so a reader with
 * {@code isolation.level=read_committed} sees each dead letter exactly once.
 */
public final class DeadLetterWriter {
  public static final String REASON = "bp-dlq-reason";
  public static final String REASON_KIND = "bp-dlq-reason-kind";
  public static final String SOURCE_TOPIC = "bp-dlq-source-topic";
  public static final String SOURCE_PARTITION = "bp-dlq-source-partition";
  public static final String SOURCE_OFFSET = "bp-dlq-source-offset";
  public static final String AT = "bp-dlq-at";

  /** A header value longer than this is cut (the reason of a huge invalid document). */
  static final int MAX_REASON_BYTES = 8 * 1024;

  private final String topic;

  public DeadLetterWriter(String topic) {
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  /** The dead letter of {@code record}, ready to send (its {@value #AT} is now). */
  public ProducerRecord<byte[], byte[]> letter(
      ConsumerRecord<byte[], byte[]> record, DeadLetterReason kind, String reason) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!header.key().startsWith("bp-dlq-")) {
        headers.add(header);
      }
    }
    headers.add(REASON, cut(reason));
    headers.add(REASON_KIND, kind.label().getBytes(StandardCharsets.UTF_8));
    headers.add(SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(
        SOURCE_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(SOURCE_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    headers.add(AT, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, null, record.key(), record.value(), headers);
  }

  private static byte[] cut(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return bytes;
    }
    String suffix = " … (cut at " + MAX_REASON_BYTES + " bytes)";
    return (new String(bytes, 0, MAX_REASON_BYTES - 64, StandardCharsets.UTF_8) + suffix)
        .getBytes(StandardCharsets.UTF_8);
  }
}
