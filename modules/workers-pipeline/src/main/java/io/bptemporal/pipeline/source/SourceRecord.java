package io.bptemporal.pipeline.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One record as a source read it.
 *
 * @param offset 0-based position in source order; the identity of the record within its pipeline
 *     (quarantine key, checkpoint offsets)
 * @param position where a person finds the record: {@code /data/in/customers.ndjson:17} or {@code
 *     row (customer_id)=(c-42)}
 * @param raw the record as it was read (the line, the CSV record, the row as JSON), kept in
 *     quarantine
 * @param fields field name to value ({@code String}, {@code Long}, {@code BigDecimal}, {@code
 *     Boolean}, {@code LocalDate}, {@code LocalDateTime}, {@code OffsetDateTime}, a Jackson {@code
 *     JsonNode} for nested JSON, or {@code null} for an explicit null); empty when the record could
 *     not be parsed
 * @param unreadable why the record could not be parsed at all (then it goes to quarantine without
 *     transforming)
 */
public record SourceRecord(
    long offset,
    String position,
    String raw,
    Map<String, Object> fields,
    Optional<String> unreadable) {

  public SourceRecord {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(raw, "raw");
    // Values may be null (an explicit JSON null or SQL NULL), which Map.copyOf refuses.
    fields =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
    Objects.requireNonNull(unreadable, "unreadable");
  }

  public static SourceRecord parsed(
      long offset, String position, String raw, Map<String, Object> fields) {
    return new SourceRecord(offset, position, raw, fields, Optional.empty());
  }

  public static SourceRecord unreadable(long offset, String position, String raw, String why) {
    return new SourceRecord(offset, position, raw, Map.of(), Optional.of(why));
  }
}
