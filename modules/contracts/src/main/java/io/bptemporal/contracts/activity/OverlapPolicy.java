package io.bptemporal.contracts.activity;

/**
 * What happens when a run is due while the previous run of the same activity is still going; the
 * values and meanings of Temporal's {@code ScheduleOverlapPolicy}.
 */
public enum OverlapPolicy {
  /** Do not start the new run (Temporal's default). */
  SKIP,
  /** Start it after the running one finishes; keep at most one waiting. */
  BUFFER_ONE,
  /** Start every due run, one after another. */
  BUFFER_ALL,
  /** Cancel the running one, then start the new one. */
  CANCEL_OTHER,
  /** Terminate the running one, then start the new one. */
  TERMINATE_OTHER,
  /** Start the new one alongside the running one. */
  ALLOW_ALL
}
