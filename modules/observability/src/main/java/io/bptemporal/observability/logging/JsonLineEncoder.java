package io.bptemporal.observability.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp} (UTC, milliseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message}, {@code service} when configured, every MDC entry and SLF4J
 * key-value pair as a top-level snake_case field, and {@code exception} (the full stack trace) when
 * the event carries one. Hand-written on jackson-core rather than Logback's JsonEncoder, whose
 * nested layout ({@code mdc: {...}}, {@code throwable: {...}}) log collectors would have to
 * flatten.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final byte[] NO_HEADER = new byte[0];
  private final JsonFactory json = new JsonFactory();
  private String service = "";

  /**
   * Value of the {@code service} field (set from the logback configuration); omitted when empty.
   */
  public void setService(String service) {
    this.service = service == null ? "" : service.strip();
  }

  @Override
  public byte[] headerBytes() {
    return NO_HEADER;
  }

  @Override
  public byte[] footerBytes() {
    return NO_HEADER;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    try (JsonGenerator out = json.createGenerator(buffer)) {
      out.writeStartObject();
      out.writeStringField("timestamp", TIMESTAMP.format(event.getInstant()));
      out.writeStringField("level", event.getLevel().toString());
      out.writeStringField("logger", event.getLoggerName());
      out.writeStringField("thread", event.getThreadName());
      out.writeStringField("message", event.getFormattedMessage());
      if (!service.isEmpty()) {
        out.writeStringField("service", service);
      }
      for (Map.Entry<String, String> field : contextFields(event).entrySet()) {
        out.writeStringField(field.getKey(), field.getValue());
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        out.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      }
      out.writeEndObject();
    } catch (IOException e) {
      // Writing to an in-memory buffer: only a bug in the generator gets here.
      throw new UncheckedIOException(e);
    }
    buffer.write('\n');
    return buffer.toByteArray();
  }

  /**
   * MDC entries and key-value pairs as field name → value. Temporal's CamelCase MDC keys and the
   * platform's snake_case ones collapse into one field; a platform key wins when both are present.
   */
  static Map<String, String> contextFields(ILoggingEvent event) {
    // Sorted by field name, so lines of one kind always list their fields in the same order.
    Map<String, String> fields = new TreeMap<>();
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach(
          (key, value) -> {
            if (value != null) {
              String name = LogFields.fieldName(key);
              if (!fields.containsKey(name) || key.equals(name)) {
                fields.put(name, value);
              }
            }
          });
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        fields.put(LogFields.fieldName(pair.key), String.valueOf(pair.value));
      }
    }
    return fields;
  }
}
