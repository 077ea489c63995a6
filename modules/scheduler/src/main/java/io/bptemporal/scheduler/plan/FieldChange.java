package io.bptemporal.scheduler.plan;

import java.util.Objects;

/**
 * One field of a schedule that an update changes: {@code trigger.cron: ["0 2 * * *"] -> ["0 3 * *
 * *"]}.
 *
 * @param path field in registry terms (see docs/scheduler.md), e.g. {@code trigger.cron}, {@code
 *     paused}
 * @param from the value the schedule has now, as compact JSON or a description
 * @param to the value the registry row asks for
 * @param outsideRegistry the schedule's value was changed outside the registry (the row did not
 *     change)
 */
public record FieldChange(String path, String from, String to, boolean outsideRegistry) {
  public FieldChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  @Override
  public String toString() {
    return path
        + ": "
        + from
        + " -> "
        + to
        + (outsideRegistry ? "  (changed outside the registry)" : "");
  }
}
