package io.bptemporal.scheduler.compress;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which due times of a COMPRESS schedule were missed, from the runs Temporal started. A due time
 * was missed when no run has it as its nominal time and no run of the schedule was open at that
 * moment (then the overlap policy skipped it, which is not a missed run). The misses are compressed
 * once the outage is over - the schedule has run a later due time again, within the checked range -
 * or when the first of them is about to leave the catch-up window, so that one outage gives one
 * compressed run and not one per pass.
 */
public final class MissedRuns {
  private MissedRuns() {}

  /**
   * A run the schedule started.
   *
   * @param nominal the time it was due (from its workflow ID, {@code <activity_id>-<nominal time>})
   * @param started when it started
   * @param closed when it closed; empty while it runs
   */
  public record Run(Instant nominal, Instant started, Optional<Instant> closed) {
    public Run {
      Objects.requireNonNull(nominal, "nominal");
      Objects.requireNonNull(started, "started");
      Objects.requireNonNull(closed, "closed");
    }

    boolean openAt(Instant time) {
      return !started.isAfter(time) && (closed.isEmpty() || closed.get().isAfter(time));
    }
  }

  /**
   * @param missed the missed due times, ascending
   * @param compressNow whether to start the compressed run now
   */
  public record Decision(List<Instant> missed, boolean compressNow) {
    public Decision {
      missed = List.copyOf(missed);
    }
  }

  /**
   * @param due due times whose fate is unknown, ascending (the ones Temporal's recent-actions list
   *     did not show)
   * @param runs the schedule's runs that were open at or after the first of them
   * @param checkedUpTo the end of the checked range (due times after it are not settled yet)
   */
  public static Decision decide(
      List<Instant> due, List<Run> runs, Instant checkedUpTo, Instant now, Duration catchUpWindow) {
    Set<Instant> ran = new HashSet<>();
    runs.forEach(run -> ran.add(run.nominal()));
    List<Instant> missed =
        due.stream()
            .filter(time -> !ran.contains(time) && runs.stream().noneMatch(run -> run.openAt(time)))
            .sorted()
            .toList();
    if (missed.isEmpty()) {
      return new Decision(List.of(), false);
    }
    Instant last = missed.getLast();
    boolean resumed =
        ran.stream().anyMatch(time -> time.isAfter(last) && !time.isAfter(checkedUpTo));
    boolean leavingWindow =
        Duration.between(missed.getFirst(), now)
                .compareTo(catchUpWindow.multipliedBy(9).dividedBy(10))
            > 0;
    return new Decision(missed, resumed || leavingWindow);
  }
}
