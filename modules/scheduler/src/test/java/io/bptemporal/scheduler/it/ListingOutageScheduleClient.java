package io.bptemporal.scheduler.it;

import io.grpc.Status;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Fails every listing while {@link #outage} is set, the way ListSchedules does when the visibility
 * store is down or too slow to answer (seen on a loaded CI machine: a 1,000-schedule listing took
 * 62 s). Describes and writes go to the schedules themselves and keep working.
 */
final class ListingOutageScheduleClient implements ScheduleClient {
  final AtomicBoolean outage = new AtomicBoolean(true);
  private final ScheduleClient delegate;

  ListingOutageScheduleClient(ScheduleClient delegate) {
    this.delegate = delegate;
  }

  private void failWhileOut() {
    if (outage.get()) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("visibility store did not answer in time")
          .asRuntimeException();
    }
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
    failWhileOut();
    return delegate.listSchedules();
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(Integer pageSize) {
    failWhileOut();
    return delegate.listSchedules(pageSize);
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(String query, Integer pageSize) {
    failWhileOut();
    return delegate.listSchedules(query, pageSize);
  }
}
