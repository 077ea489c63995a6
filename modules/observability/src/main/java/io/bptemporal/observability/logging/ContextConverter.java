package io.bptemporal.observability.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * {@code %bpContext} in the text layout: the same context fields as the JSON lines, as {@code
 * {workflow_id=…, run_id=…}}, or nothing outside workflow/activity code.
 */
public final class ContextConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> fields = JsonLineEncoder.contextFields(event);
    if (fields.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" {");
    fields.forEach((k, v) -> out.append(k).append('=').append(v).append(", "));
    out.setLength(out.length() - 2);
    return out.append('}').toString();
  }
}
