package io.bptemporal.observability.health;

import java.util.Objects;

/**
 * What a probe saw.
 *
 * @param healthy whether the dependency is usable
 * @param detail one line for the operator reading /readyz, e.g. "SERVING" or "connection refused"
 */
public record CheckResult(boolean healthy, String detail) {
  public CheckResult {
    Objects.requireNonNull(detail, "detail");
  }

  public static CheckResult healthy(String detail) {
    return new CheckResult(true, detail);
  }

  public static CheckResult unhealthy(String detail) {
    return new CheckResult(false, detail);
  }
}
