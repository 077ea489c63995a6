package io.bptemporal.observability.health;

import java.util.List;

/**
 * Every check's outcome, in registration order. Ready when all checks pass (also when there are
 * none).
 */
public record ReadinessReport(List<CheckOutcome> checks) {
  public ReadinessReport {
    checks = List.copyOf(checks);
  }

  public boolean ready() {
    return checks.stream().allMatch(CheckOutcome::healthy);
  }

  /** Names of the checks that did not pass. */
  public List<String> failing() {
    return checks.stream().filter(c -> !c.healthy()).map(CheckOutcome::name).toList();
  }
}
