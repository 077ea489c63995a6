package io.bptemporal.scheduler.it;

import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import java.util.stream.Stream;

/**
 * Leaves one schedule out of every listing, the way a lagging visibility store does after a create.
 */
final class HidingScheduleClient implements ScheduleClient {
  private final ScheduleClient delegate;
  private final String hidden;

  HidingScheduleClient(ScheduleClient delegate, String hidden) {
    this.delegate = delegate;
    this.hidden = hidden;
  }

  @Override
  public ScheduleHandle createSchedule(
      String scheduleId, Schedule schedule, ScheduleOptions options) {
    return delegate.createSchedule(scheduleId, schedule, options);
  }

  @Override
  public ScheduleHandle getHandle(String scheduleId) {
    return delegate.getHandle(scheduleId);
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules() {
    return delegate.listSchedules().filter(s -> !s.getScheduleId().equals(hidden));
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(Integer pageSize) {
    return delegate.listSchedules(pageSize).filter(s -> !s.getScheduleId().equals(hidden));
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(String query, Integer pageSize) {
    return delegate.listSchedules(query, pageSize).filter(s -> !s.getScheduleId().equals(hidden));
  }
}
