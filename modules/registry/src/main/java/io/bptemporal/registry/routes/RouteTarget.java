package io.bptemporal.registry.routes;

import java.util.Objects;

/**
 * What the route's activity row says about where its runs go: the row, not the route, decides the
 * namespace, the workflow type and the task queue of every run an event starts.
 *
 * @param enabled the activity row's {@code enabled}: a disabled activity is not started by events
 *     either
 */
public record RouteTarget(
    String activityId, String namespace, String workflowType, String taskQueue, boolean enabled) {
  public RouteTarget {
    Objects.requireNonNull(activityId, "activityId");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workflowType, "workflowType");
    Objects.requireNonNull(taskQueue, "taskQueue");
  }
}
