package io.bptemporal.scheduler.run;

import io.bptemporal.observability.metrics.MetricLabel;

/**
 * Label {@code change} of {@code bp_scheduler_changes_total}: what a reconcile pass did to a
 * Temporal Schedule.
 */
public enum ScheduleChange implements MetricLabel {
  CREATED("created"),
  UPDATED("updated"),
  DELETED("deleted"),
  PAUSED("paused"),
  UNPAUSED("unpaused");

  private final String label;

  ScheduleChange(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }
}
