package io.bptemporal.scheduler.it;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A schedule client that dies like a killed process: the first {@code survivingWrites} write calls
 * go through, the next one and every later one throw {@link Crash} (an Error, so nothing treats it
 * as an ordinary failed call), before reaching the server.
 */
final class CrashingScheduleClient implements ScheduleClient {
  /** The simulated kill. */
  static final class Crash extends Error {
    Crash(String message) {
      super(message);
    }
  }

  private final ScheduleClient delegate;
  private final AtomicInteger writesLeft;

  CrashingScheduleClient(ScheduleClient delegate, AtomicInteger writesLeft) {
    this.delegate = delegate;
    this.writesLeft = writesLeft;
  }

  private void write(String what) {
    if (writesLeft.getAndDecrement() <= 0) {
      throw new Crash("killed before " + what);
    }
  }

  @Override
  public ScheduleHandle createSchedule(
      String scheduleId, Schedule schedule, ScheduleOptions options) {
    write("CreateSchedule " + scheduleId);
    return delegate.createSchedule(scheduleId, schedule, options);
  }

  @Override
  public ScheduleHandle getHandle(String scheduleId) {
    ScheduleHandle handle = delegate.getHandle(scheduleId);
    return new ScheduleHandle() {
      @Override
      public String getId() {
        return handle.getId();
      }

      @Override
      public void backfill(List<ScheduleBackfill> backfills) {
        write("backfill " + scheduleId);
        handle.backfill(backfills);
      }

      @Override
      public void delete() {
        write("DeleteSchedule " + scheduleId);
        handle.delete();
      }

      @Override
      public ScheduleDescription describe() {
        return handle.describe();
      }

      @Override
      public void pause(String note) {
        write("pause " + scheduleId);
        handle.pause(note);
      }

      @Override
      public void pause() {
        pause("");
      }

      @Override
      public void trigger(ScheduleOverlapPolicy overlapPolicy) {
        write("trigger " + scheduleId);
        handle.trigger(overlapPolicy);
      }

      @Override
      public void trigger() {
        write("trigger " + scheduleId);
        handle.trigger();
      }

      @Override
      public void unpause(String note) {
        write("unpause " + scheduleId);
        handle.unpause(note);
      }

      @Override
      public void unpause() {
        unpause("");
      }

      @Override
      public void update(Functions.Func1<ScheduleUpdateInput, ScheduleUpdate> updater) {
        write("UpdateSchedule " + scheduleId);
        handle.update(updater);
      }
    };
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules() {
    return delegate.listSchedules();
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(Integer pageSize) {
    return delegate.listSchedules(pageSize);
  }

  @Override
  public Stream<ScheduleListDescription> listSchedules(String query, Integer pageSize) {
    return delegate.listSchedules(query, pageSize);
  }
}
