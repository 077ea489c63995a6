package io.bptemporal.observability.health;

import java.util.Objects;

/**
 * A named readiness condition, e.g. "Temporal reachable". The name appears in /readyz and in the
 * {@code failing} list of a 503 answer.
 */
public record ReadinessCheck(String name, Probe probe) {
  public ReadinessCheck {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a readiness check needs a name, got '" + name + "'");
    }
    Objects.requireNonNull(probe, "probe");
  }
}
