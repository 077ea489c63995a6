package io.bptemporal.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.activity.MissedRunPolicy;
import io.bptemporal.contracts.activity.OverlapPolicy;
import io.bptemporal.contracts.activity.SchedulePolicies;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The table of docs/scheduler.md#missed-runs, row by row. */
class MissedRunMappingTest {

  @ParameterizedTest
  @CsvSource({
    "CATCH_UP, BUFFER_ALL, PT6H, BUFFER_ALL, PT6H",
    "CATCH_UP, SKIP,       PT1H, SKIP,       PT1H",
    "SKIP,     SKIP,       PT6H, SKIP,       PT10S",
    "SKIP,     ALLOW_ALL,  PT6H, ALLOW_ALL,  PT10S",
    "COMPRESS, SKIP,       PT6H, SKIP,       PT10S",
    "COMPRESS, BUFFER_ONE, PT2H, BUFFER_ONE, PT10S"
  })
  void missedRunPolicyBecomesCatchUpWindowAndTheOverlapIsKept(
      MissedRunPolicy missed,
      OverlapPolicy overlap,
      Duration window,
      OverlapPolicy expectedOverlap,
      Duration expectedWindow) {
    TemporalPolicy policy =
        MissedRunMapping.map(new SchedulePolicies(overlap, missed, window, true));
    assertThat(policy).isEqualTo(new TemporalPolicy(expectedOverlap, expectedWindow, true));
  }
}
