package io.bptemporal.contracts.activity;

/**
 * What happens to runs that were due while the schedule could not start them (outage, pause,
 * deploy).
 */
public enum MissedRunPolicy {
  /**
   * Start each missed run whose time is within {@code catch_up_window} of now; older ones are
   * dropped.
   */
  CATCH_UP,
  /** Drop missed runs; the next run is the next regular one. */
  SKIP,
  /**
   * Start one run for all missed runs within {@code catch_up_window}, scheduled for the latest
   * missed time and told the whole window ({@code compressed_window}: first and last missed time,
   * count).
   */
  COMPRESS
}
