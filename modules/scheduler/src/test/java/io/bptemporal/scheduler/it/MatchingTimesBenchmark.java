package io.bptemporal.scheduler.it;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.scheduler.compress.TriggerTimes;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A benchmark ({@code make bench}), not a test: what one COMPRESS schedule's due times cost the
 * compressor per pass, computed locally ({@link TriggerTimes}) versus asked of the server ({@code
 * ListScheduleMatchingTimes}, a query on the schedule's workflow) for the same range. Two ranges: a
 * steady pass (the 30 s since the last check) and a first pass after a start (the whole 6 h
 * catch-up window). docs/scheduler.md#missed-runs quotes target/matching-times-benchmark.txt.
 */
@ExtendWith(DevStackExtension.class)
class MatchingTimesBenchmark {
  private static final int WARM_UP = 50;
  private static final int ROUNDS = 300;
  private static RegistryDatabase db;
  private static TemporalFixture temporal;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = new RegistryDatabase(stack, "registry_times_bench");
    temporal = new TemporalFixture(stack, "sched-bench-times");
  }

  @AfterAll
  static void stop() {
    temporal.close();
    db.close();
  }

  @Test
  void localCalendarVersusTheServersMatchingTimes() throws Exception {
    String trigger = "{\"cron\": [\"*/1 * * * *\"], \"time_zone\": \"Europe/Berlin\"}";
    ActivityDefinition definition = Rows.probe("bench-matching", temporal.namespace, trigger);
    db.registry.put(definition);
    temporal
        .reconciler(
            db, new ScheduleCallCounter(), Set.of(Rows.PROBE_WORKFLOW), UnaryOperator.identity())
        .apply();

    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-34s %12s %12s %12s %12s %9s",
            "range (cron */1, Europe/Berlin)",
            "local p50",
            "server p50",
            "local p95",
            "server p95",
            "p50 ratio"));
    Instant now = Instant.now();
    for (Duration window : List.of(Duration.ofSeconds(30), Duration.ofHours(6))) {
      Instant from = now.minus(window);
      long[] local = time(() -> TriggerTimes.between(definition.trigger(), from, now, 10_000));
      long[] server = time(() -> temporal.matchingTimes("bench-matching", from, now));
      lines.add(
          String.format(
              Locale.ROOT,
              "%-34s %9.3f ms %9.3f ms %9.3f ms %9.3f ms %8.0fx",
              "last "
                  + window.toString().substring(2).toLowerCase(Locale.ROOT)
                  + " ("
                  + TriggerTimes.between(definition.trigger(), from, now, 10_000).size()
                  + " times)",
              ms(local, 50),
              ms(server, 50),
              ms(local, 95),
              ms(server, 95),
              ms(server, 50) / ms(local, 50)));
    }
    lines.add(
        ROUNDS
            + " rounds each after "
            + WARM_UP
            + " warm-up calls; load average "
            + String.format(
                Locale.ROOT,
                "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage())
            + " on "
            + Runtime.getRuntime().availableProcessors()
            + " cores");
    String report = String.join("\n", lines) + "\n";
    System.out.print(report);
    Files.writeString(Path.of("target/matching-times-benchmark.txt"), report);
  }

  private static long[] time(Supplier<List<Instant>> call) {
    for (int i = 0; i < WARM_UP; i++) {
      call.get();
    }
    long[] nanos = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long started = System.nanoTime();
      call.get();
      nanos[i] = System.nanoTime() - started;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static double ms(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }
}
