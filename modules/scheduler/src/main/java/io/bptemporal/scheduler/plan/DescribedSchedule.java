package io.bptemporal.scheduler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A schedule as DescribeSchedule returns it (authoritative, read from the schedule itself): the
 * values a plan compares field by field with the registry row.
 *
 * @param source the registry side it was last written from (action memo {@code bp-schedule-source})
 * @param argument the first argument of the action, as JSON
 * @param overlap Temporal's overlap policy name without prefix, e.g. {@code SKIP}
 * @param missedCatchupWindow runs the server dropped because they were older than the catch-up
 *     window
 * @param recentActionTimes nominal times of the last runs it started
 * @param running runs it started that are still open
 */
public record DescribedSchedule(
    String namespace,
    String scheduleId,
    boolean owned,
    String notes,
    boolean paused,
    String workflowType,
    String taskQueue,
    String workflowIdBase,
    Optional<JsonNode> argument,
    String overlap,
    Duration catchupWindow,
    boolean pauseOnFailure,
    Optional<JsonNode> source,
    long missedCatchupWindow,
    List<Instant> recentActionTimes,
    int running) {

  public DescribedSchedule {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(argument, "argument");
    Objects.requireNonNull(source, "source");
    recentActionTimes = List.copyOf(recentActionTimes);
  }
}
