package io.bptemporal.contracts.naming;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Namespace strategy: one namespace per service boundary, the same names in every environment —
 * each environment (dev, staging, prod) is its own Temporal cluster, so names never carry an
 * environment suffix. Where tenants share a cluster, each gets its own copies via {@link
 * NamespaceSpec#forTenant}. Retention follows what the namespace's histories are needed for: orders
 * are audited for a month, pipeline runs are debugged for a week.
 */
public final class Namespaces {

  /** Temporal's own namespace: ad-hoc and system workflows. */
  public static final NamespaceSpec DEFAULT = new NamespaceSpec("default", Duration.ofDays(3));

  /** Order saga workflows. */
  public static final NamespaceSpec ORDERS = new NamespaceSpec("orders", Duration.ofDays(30));

  /** Data pipeline and RunActivity workflows, and the Schedules of the activity registry. */
  public static final NamespaceSpec PIPELINES = new NamespaceSpec("pipelines", Duration.ofDays(7));

  public static final List<NamespaceSpec> ALL = List.of(DEFAULT, ORDERS, PIPELINES);

  private Namespaces() {}

  public static Optional<NamespaceSpec> byName(String name) {
    return ALL.stream().filter(namespace -> namespace.name().equals(name)).findFirst();
  }
}
