package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;

/**
 * The runs a {@code COMPRESS} missed-run policy folded into one run.
 *
 * @param missedFrom scheduled time of the first missed run
 * @param missedTo scheduled time of the last missed run (the compressed run's scheduled_for), not
 *     before missedFrom
 * @param missedCount how many runs were missed, at least 1
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompressedWindow(Instant missedFrom, Instant missedTo, int missedCount) {

  public CompressedWindow {
    Objects.requireNonNull(missedFrom, "missed_from");
    Objects.requireNonNull(missedTo, "missed_to");
  }
}
