package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import java.util.Optional;

/**
 * Input of {@code LoadDefinition}.
 *
 * @param activityId the registry row
 * @param version a specific revision; absent = the current one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record LoadDefinition(String activityId, Optional<Long> version) {

  public LoadDefinition {
    Objects.requireNonNull(activityId, "activity_id");
    version = Objects.requireNonNullElse(version, Optional.empty());
  }
}
