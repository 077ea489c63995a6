package io.bptemporal.scheduler.reconcile;

import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one apply pass did.
 *
 * @param plan the plan it executed
 * @param applied the changes that went through
 * @param failed the changes that did not, with the error (their rows are ERROR or INVALID now)
 * @param invalidRows rows marked INVALID (plan rejects plus changes Temporal refused as invalid)
 * @param drift managed schedules that still differ from the registry after the pass
 * @param calls schedule calls to Temporal during the pass, by operation
 * @param writes the write calls among them
 * @param compressedRuns runs started for COMPRESS rows to stand for missed runs
 */
public record PassResult(
    Plan plan,
    List<Step.Change> applied,
    Map<Step.Change, String> failed,
    int invalidRows,
    int drift,
    Duration duration,
    Map<String, Long> calls,
    long writes,
    int compressedRuns) {
  public PassResult {
    applied = List.copyOf(applied);
    failed = Map.copyOf(failed);
    calls = Map.copyOf(calls);
  }

  public String summary() {
    return "pass: "
        + applied.size()
        + " change(s) applied ("
        + count(Step.Create.class)
        + " created, "
        + count(Step.Update.class)
        + " updated, "
        + count(Step.Pause.class)
        + " paused, "
        + count(Step.Unpause.class)
        + " unpaused, "
        + count(Step.Delete.class)
        + " deleted), "
        + failed.size()
        + " failed, "
        + invalidRows
        + " invalid row(s), drift "
        + drift
        + ", "
        + compressedRuns
        + " compressed run(s), "
        + writes
        + " write call(s), "
        + duration.toMillis()
        + " ms";
  }

  /** Applied changes of one kind. */
  public long count(Class<? extends Step.Change> kind) {
    return applied.stream().filter(kind::isInstance).count();
  }
}
