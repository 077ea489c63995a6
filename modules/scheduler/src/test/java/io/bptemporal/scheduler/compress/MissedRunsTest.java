package io.bptemporal.scheduler.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MissedRunsTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Duration WINDOW = Duration.ofHours(6);

  private static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  private static MissedRuns.Run ran(int nominal, int closedAfter) {
    return new MissedRuns.Run(t(nominal), t(nominal), Optional.of(t(nominal + closedAfter)));
  }

  @Test
  void dueTimesWithoutARunAreMissedAndCompressedOnceTheScheduleRunsAgain() {
    var decision =
        MissedRuns.decide(
            List.of(t(0), t(10), t(20), t(30)), List.of(ran(30, 1)), t(35), t(40), WINDOW);
    assertThat(decision.missed()).containsExactly(t(0), t(10), t(20));
    assertThat(decision.compressNow()).isTrue();
  }

  @Test
  void whileNoLaterTimeRanTheOutageMayGoOnSoNothingIsStartedYet() {
    var decision = MissedRuns.decide(List.of(t(0), t(10)), List.of(), t(15), t(20), WINDOW);
    assertThat(decision.missed()).containsExactly(t(0), t(10));
    assertThat(decision.compressNow()).isFalse();
  }

  @Test
  void aRunLaterThanTheCheckedRangeDoesNotEndTheOutageYet() {
    var decision =
        MissedRuns.decide(List.of(t(0), t(10)), List.of(ran(30, 1)), t(15), t(40), WINDOW);
    assertThat(decision.compressNow())
        .as("t(20) is not checked yet and may be missed too")
        .isFalse();
  }

  @Test
  void missesAboutToLeaveTheWindowAreCompressedEvenIfTheOutageGoesOn() {
    var decision =
        MissedRuns.decide(
            List.of(t(0)), List.of(), t(5), t(0).plus(Duration.ofHours(5).plusMinutes(30)), WINDOW);
    assertThat(decision.compressNow()).isTrue();
  }

  @Test
  void timesSkippedBecauseARunWasStillGoingAreNotMissed() {
    MissedRuns.Run longRun = new MissedRuns.Run(t(0), t(0), Optional.of(t(25)));
    var decision =
        MissedRuns.decide(
            List.of(t(10), t(20)), List.of(longRun, ran(30, 1)), t(35), t(40), WINDOW);
    assertThat(decision.missed()).isEmpty();
    MissedRuns.Run stillRunning = new MissedRuns.Run(t(0), t(0), Optional.empty());
    assertThat(
            MissedRuns.decide(List.of(t(10)), List.of(stillRunning), t(15), t(40), WINDOW).missed())
        .isEmpty();
  }
}
