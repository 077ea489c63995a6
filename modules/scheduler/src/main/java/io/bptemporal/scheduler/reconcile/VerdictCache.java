package io.bptemporal.scheduler.reconcile;

import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.plan.RowVerdict;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the verdict of each row between passes: most rows do not change from one pass to the
 * next, and checking a row against the JSON Schema is most of what a pass without changes costs. A
 * row is checked again when any of its columns changed, or when the set of existing namespaces did.
 */
final class VerdictCache {
  private final RowChecks checks;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(RegistryRow row, Set<String> existingNamespaces, RowVerdict verdict) {}

  VerdictCache(RowChecks checks) {
    this.checks = checks;
  }

  RowVerdict check(RegistryRow row, Set<String> existingNamespaces) {
    Entry cached = entries.get(row.activityId());
    if (cached != null
        && cached.row().equals(row)
        && cached.existingNamespaces().equals(existingNamespaces)) {
      return cached.verdict();
    }
    RowVerdict verdict = checks.check(row, existingNamespaces);
    entries.put(row.activityId(), new Entry(row, Set.copyOf(existingNamespaces), verdict));
    return verdict;
  }

  /** Forgets rows that no longer exist, so the cache never outgrows the registry. */
  void retain(Set<String> activityIds) {
    entries.keySet().retainAll(activityIds);
  }
}
