package io.bptemporal.observability.health;

/** One look at a dependency. Throwing counts as unhealthy, with the exception as the detail. */
@FunctionalInterface
public interface Probe {
  CheckResult probe() throws Exception;
}
