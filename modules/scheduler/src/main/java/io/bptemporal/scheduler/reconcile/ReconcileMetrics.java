package io.bptemporal.scheduler.reconcile;

/**
 * Where a pass reports its numbers; in a running scheduler PlatformReconcileMetrics (names in
 * docs/operations/metrics-catalog.yaml), nowhere for a one-off CLI command.
 */
public interface ReconcileMetrics {
  ReconcileMetrics NONE =
      new ReconcileMetrics() {
        @Override
        public void pass(PassResult result) {}

        @Override
        public void leader(boolean leader) {}
      };

  /** One finished pass: duration, applied changes by kind, drift left and invalid rows. */
  void pass(PassResult result);

  /** Whether this process holds the leader lock. */
  void leader(boolean leader);
}
