package io.bptemporal.contracts.naming;

import java.time.Duration;
import java.util.Objects;

/**
 * A Temporal namespace the platform registers, with the retention of closed workflow histories.
 *
 * @param name namespace name, see {@link IdentifierFormat#NAMESPACE}
 * @param retention how long Temporal keeps a closed workflow's history (at least one hour, a server
 *     rule)
 */
public record NamespaceSpec(String name, Duration retention) {

  public NamespaceSpec {
    IdentifierFormat.NAMESPACE.check(name);
    Objects.requireNonNull(retention, "retention");
    if (retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "retention "
              + retention
              + " of namespace '"
              + name
              + "' is shorter than one hour, the minimum the Temporal server accepts");
    }
  }

  /**
   * The same namespace for one tenant, {@code <tenant>-<name>} (e.g. {@code acme-orders}), for
   * installations that isolate tenants by namespace instead of by cluster.
   */
  public NamespaceSpec forTenant(String tenant) {
    return new NamespaceSpec(IdentifierFormat.NAMESPACE.check(tenant) + "-" + name, retention);
  }
}
