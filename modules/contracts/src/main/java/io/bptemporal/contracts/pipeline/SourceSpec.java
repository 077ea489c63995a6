package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pipeline reads.
 *
 * @param type kind of source
 * @param location file path or URL for {@code NDJSON} and {@code CSV} (required there); for {@code
 *     POSTGRES} an optional JDBC URL without credentials (default: the worker's own database)
 * @param query the SELECT to read, required for {@code POSTGRES}, not allowed otherwise; it must
 *     have a stable order (ORDER BY the natural key) because partitions are offset ranges of it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record SourceSpec(SourceType type, Optional<String> location, Optional<String> query) {

  public SourceSpec {
    Objects.requireNonNull(type, "type");
    location = Objects.requireNonNullElse(location, Optional.empty());
    query = Objects.requireNonNullElse(query, Optional.empty());
  }

  public static SourceSpec file(SourceType type, String location) {
    return new SourceSpec(type, Optional.of(location), Optional.empty());
  }

  public static SourceSpec postgres(String query) {
    return new SourceSpec(SourceType.POSTGRES, Optional.empty(), Optional.of(query));
  }
}
