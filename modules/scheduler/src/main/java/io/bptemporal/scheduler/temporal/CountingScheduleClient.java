package io.bptemporal.scheduler.temporal;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.client.schedules.ScheduleUpdateInput;
import io.temporal.workflow.Functions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link ScheduleClient} that counts every call by the gRPC operation it makes, around the SDK's
 * client. Every schedule call of the scheduler goes through it, so its counts are the scheduler's
 * whole traffic. Note {@link ScheduleHandle#update} is a DescribeSchedule followed by an
 * UpdateSchedule in the SDK.
 */
public final class CountingScheduleClient implements ScheduleClient {
  private final ScheduleClient delegate;
  private final ScheduleCallCounter counter;

  public CountingScheduleClient(ScheduleClient delegate, ScheduleCallCounter counter) {
    this.delegate = delegate;
    this.counter = counter;
  }

  @Override
  public ScheduleHandle createSchedule(
      String scheduleId, Schedule schedule, ScheduleOptions options) {
    counter.record("CreateSchedule");
    return new CountingHandle(delegate.createSchedule(scheduleId, schedule, options), counter);
  }

  @Override
  public ScheduleHandle getHandle(String scheduleId) {
    return new CountingHandle(delegate.getHandle(scheduleId), counter);
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules() {
    counter.record("ListSchedules");
    return delegate.listSchedules();
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(Integer pageSize) {
    counter.record("ListSchedules");
    return delegate.listSchedules(pageSize);
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(String query, Integer pageSize) {
    counter.record("ListSchedules");
    return delegate.listSchedules(query, pageSize);
  }

  private record CountingHandle(ScheduleHandle delegate, ScheduleCallCounter counter)
      implements ScheduleHandle {
    @Override
    public String getId() {
      return delegate.getId();
    }

    @Override
    public void backfill(List<ScheduleBackfill> backfills) {
      counter.record("PatchSchedule.backfill");
      delegate.backfill(backfills);
    }

    @Override
    public void delete() {
      counter.record("DeleteSchedule");
      delegate.delete();
    }

    @Override
    public ScheduleDescription describe() {
      counter.record("DescribeSchedule");
      return delegate.describe();
    }

    @Override
    public void pause(String note) {
      counter.record("PatchSchedule.pause");
      delegate.pause(note);
    }

    @Override
    public void pause() {
      counter.record("PatchSchedule.pause");
      delegate.pause();
    }

    @Override
    public void trigger(ScheduleOverlapPolicy overlapPolicy) {
      counter.record("PatchSchedule.trigger");
      delegate.trigger(overlapPolicy);
    }

    @Override
    public void trigger() {
      counter.record("PatchSchedule.trigger");
      delegate.trigger();
    }

    @Override
    public void unpause(String note) {
      counter.record("PatchSchedule.unpause");
      delegate.unpause(note);
    }

    @Override
    public void unpause() {
      counter.record("PatchSchedule.unpause");
      delegate.unpause();
    }

    @Override
    public void update(Functions.Func1<ScheduleUpdateInput, ScheduleUpdate> updater) {
      counter.record("DescribeSchedule");
      counter.record("UpdateSchedule");
      delegate.update(updater);
    }
  }
}
