package io.bptemporal.scheduler.plan;

import java.time.Instant;
import java.util.List;

/**
 * A decided plan: every step final (no {@link Step.Verify} left), in key order.
 *
 * @param at when the registry and Temporal were read
 */
public record Plan(Instant at, List<Step> steps) {
  public Plan {
    steps = List.copyOf(steps);
    if (steps.stream().anyMatch(s -> s instanceof Step.Verify)) {
      throw new IllegalArgumentException("a plan holds decided steps only");
    }
  }

  public List<Step.Change> changes() {
    return steps.stream().filter(s -> s instanceof Step.Change).map(s -> (Step.Change) s).toList();
  }

  public long count(Class<? extends Step> kind) {
    return steps.stream().filter(kind::isInstance).count();
  }

  /** Managed schedules that differ from the registry (what a pass would change). */
  public int drift() {
    return changes().size();
  }
}
