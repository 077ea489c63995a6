package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.event.EventEnvelope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Input of {@code CreateTasks}: turn one run into task instances. Idempotent by task key (a
 * repeated run finds its tasks instead of creating new ones).
 *
 * @param runKey the run's identity, prefix of every task key
 * @param scheduledFor nominal time of the run (for an event run: the event's occurred_at)
 * @param definition the registry row revision being run
 * @param triggerEvent the triggering event of an event run
 * @param compressedWindow the missed runs a compressed run stands for
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record CreateTasks(
    String runKey,
    Instant scheduledFor,
    ActivityDefinition definition,
    Optional<EventEnvelope> triggerEvent,
    Optional<CompressedWindow> compressedWindow) {

  public CreateTasks {
    Objects.requireNonNull(runKey, "run_key");
    Objects.requireNonNull(scheduledFor, "scheduled_for");
    Objects.requireNonNull(definition, "definition");
    triggerEvent = Objects.requireNonNullElse(triggerEvent, Optional.empty());
    compressedWindow = Objects.requireNonNullElse(compressedWindow, Optional.empty());
  }
}
