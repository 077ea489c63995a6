package io.bptemporal.observability.metrics;

/** Label {@code change} of {@code bp_scheduler_changes_total}: what a reconcile pass did to a Temporal Schedule. */
public enum ScheduleChange {
  CREATED("created"),
  UPDATED("updated"),
  DELETED("deleted"),
  PAUSED("paused"),
  UNPAUSED("unpaused");

  private final String label;

  ScheduleChange(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
