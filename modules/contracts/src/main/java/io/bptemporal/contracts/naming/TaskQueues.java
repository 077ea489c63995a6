package io.bptemporal.contracts.naming;

import java.util.List;

/**
 * Task queue names: one per service boundary (one per worker deployment), named {@code
 * <service>-tq}. A workflow and the activities it calls share their service's queue; a new service
 * gets a new queue, so that it can be scaled, deployed and rate-limited on its own.
 */
public final class TaskQueues {

  /** Polled by the order-saga worker (namespace {@code orders}). */
  public static final String ORDERS = "orders-tq";

  /** Polled by the pipeline worker (namespace {@code pipelines}): DataPipeline. */
  public static final String PIPELINES = "pipelines-tq";

  /** Polled by the activity worker (namespace {@code pipelines}): RunActivity, the task factory. */
  public static final String ACTIVITIES = "activities-tq";

  public static final List<String> ALL = List.of(ORDERS, PIPELINES, ACTIVITIES);

  private TaskQueues() {}
}
