package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.Objects;

/**
 * How runs of an activity behave towards each other and towards outages.
 *
 * @param overlap what happens when a run is due while the previous one still runs; default {@code
 *     SKIP}
 * @param missedRun what happens to runs missed during an outage; default {@code CATCH_UP}
 * @param catchUpWindow how far back missed runs are still started ({@code CATCH_UP}, {@code
 *     COMPRESS}); at least 10s (Temporal's minimum); default {@code 1h}; ignored for {@code SKIP}
 * @param pauseOnFailure pause the schedule when a run fails (after its retries), so that a broken
 *     job does not fail every hour until someone notices; default {@code false}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SchedulePolicies(
    OverlapPolicy overlap,
    MissedRunPolicy missedRun,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration catchUpWindow,
    boolean pauseOnFailure) {

  /** Temporal refuses a shorter catch-up window. */
  public static final Duration MIN_CATCH_UP_WINDOW = Duration.ofSeconds(10);

  public static final Duration DEFAULT_CATCH_UP_WINDOW = Duration.ofHours(1);
  public static final SchedulePolicies DEFAULTS =
      new SchedulePolicies(
          OverlapPolicy.SKIP, MissedRunPolicy.CATCH_UP, DEFAULT_CATCH_UP_WINDOW, false);

  public SchedulePolicies {
    overlap = Objects.requireNonNullElse(overlap, OverlapPolicy.SKIP);
    missedRun = Objects.requireNonNullElse(missedRun, MissedRunPolicy.CATCH_UP);
    catchUpWindow = Objects.requireNonNullElse(catchUpWindow, DEFAULT_CATCH_UP_WINDOW);
  }
}
