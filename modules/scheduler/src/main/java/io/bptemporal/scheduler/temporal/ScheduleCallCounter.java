package io.bptemporal.scheduler.temporal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls this process makes to Temporal for schedules, by operation. Writes are the calls
 * that change something on the server; the reconciler logs them per pass, and the tests prove with
 * them that a pass without registry changes writes nothing.
 */
public final class ScheduleCallCounter {
  /** Operations that change server state. */
  public static final Set<String> WRITES =
      Set.of(
          "CreateSchedule",
          "UpdateSchedule",
          "PatchSchedule.pause",
          "PatchSchedule.unpause",
          "PatchSchedule.trigger",
          "PatchSchedule.backfill",
          "DeleteSchedule",
          "StartWorkflowExecution");

  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

  public void record(String operation) {
    calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
  }

  public long writes() {
    return calls.entrySet().stream()
        .filter(e -> WRITES.contains(e.getKey()))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  public long reads() {
    return calls.entrySet().stream()
        .filter(e -> !WRITES.contains(e.getKey()))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  public long count(String operation) {
    AtomicLong value = calls.get(operation);
    return value == null ? 0 : value.get();
  }

  /** Operation to count, sorted, for logs and test output. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public void reset() {
    calls.clear();
  }
}
