package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.Objects;

/**
 * A fixed interval, Temporal's {@code IntervalSpec}: runs at every multiple of {@code every} since
 * the Unix epoch, shifted by {@code offset} — {@code every: 1h, offset: 15m} runs at :15 of every
 * hour.
 *
 * @param every the period, at least 1s
 * @param offset the phase within the period, less than {@code every}; default {@code 0s}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record IntervalSpec(
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration every,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration offset) {

  public IntervalSpec {
    Objects.requireNonNull(every, "every");
    offset = Objects.requireNonNullElse(offset, Duration.ZERO);
  }

  public static IntervalSpec every(Duration every) {
    return new IntervalSpec(every, Duration.ZERO);
  }
}
