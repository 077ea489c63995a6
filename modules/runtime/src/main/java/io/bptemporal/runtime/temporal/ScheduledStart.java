package io.bptemporal.runtime.temporal;

import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Workflow-side: the nominal time a Temporal Schedule started this run for. A Schedule's action
 * input is fixed, so this search attribute (set on every run it starts) is how a run learns which
 * time it is for.
 */
public final class ScheduledStart {
  public static final SearchAttributeKey<OffsetDateTime> ATTRIBUTE =
      SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime");

  private ScheduledStart() {}

  /**
   * Read from the run's start event, so a replay sees the same value. Only call from workflow code.
   */
  public static Optional<Instant> ofThisRun() {
    try {
      return Optional.ofNullable(Workflow.getTypedSearchAttributes().get(ATTRIBUTE))
          .map(OffsetDateTime::toInstant);
    } catch (RuntimeException e) {
      // Not set, or set with another type by someone else: treated as not started by a Schedule.
      return Optional.empty();
    }
  }
}
