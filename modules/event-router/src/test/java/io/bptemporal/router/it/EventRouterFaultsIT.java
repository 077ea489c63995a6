package io.bptemporal.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.FaultMatrix;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.router.MalformedRecords;
import io.bptemporal.router.kafka.DeadLetterWriter;
import io.bptemporal.router.relay.OutboxRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite, scenario "event router" (issue 19 item 4, docs/reliability.md; {@code make faults}):
 * the router's own matrix ({@link EventRouterScaleIT}'s stream at a bounded size: {@code START} and
 * {@code SIGNAL_WITH_START} routes, 2% redelivered records, malformed records of every kind) while,
 * in a seeded order, the router process is SIGKILLed three times (restarted as the same static
 * member), the Temporal server is SIGKILLed and started again, and the Kafka broker is stopped and
 * started again on the same data directory. The router also runs the outbox relay of the activity
 * worker's {@code task_outbox}, so the relay rides the same faults.
 *
 * <p>The stream is produced in waves, one per fault and one after the last; a fault lands once a
 * seeded share (10–50%) of its wave is committed, so that it meets records in hand. The broker's
 * outage meets the producer too: the next wave is sent while the broker is down (send() waits for
 * the broker's metadata, the producer retries, idempotent). The next wave follows once the router
 * committed again after the fault (its recovery).
 *
 * <p>Afterwards, counted (not only asserted), as the fault matrix needs: runs missing, for an event
 * that should give none, out of their subject's order, not completed; subject workflows with
 * failed, rejected or pending events; malformed records not on the DLQ (read {@code
 * read_committed}) or with the wrong reason; records never committed; outbox rows not marked or not
 * on the relay topic — all {@code lost}. Runs executed twice, subject events run twice, task rows
 * beyond one per run, dead letters twice — {@code duplicated}. The relay's republished copies (same
 * event id, at least once by design, docs/event-router.md) are reported, not counted.
 *
 * <p>{@code -Dbp.faults.seed=<seed>} repeats the plan; {@code -Dbp.faults.router.events=<n>}
 * (default {@value #DEFAULT_EVENTS}) sizes the stream.
 */
@ExtendWith(DevStackExtension.class)
class EventRouterFaultsIT {
  static final int DEFAULT_EVENTS = 2000;
  private static final int MALFORMED = 100;
  private static final int ROUTER_KILLS = 3;
  private static final int TEMPORAL_RESTARTS = 1;
  private static final int BROKER_RESTARTS = 1;
  // How long the router may take to move again after one fault (a Temporal outage holds a request
  // in the SDK's retries for up to a minute).
  private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);
  private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(5);

  private enum Fault {
    ROUTER_KILL,
    TEMPORAL_RESTART,
    BROKER_RESTART
  }

  @Test
  // A hard bound besides the bound of every wait: 5 faults with their recoveries and the drain.
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void everyEventRoutedOrDeadLetteredExactlyOnceThroughRouterKillsAndServerAndBrokerRestarts(
      StackEndpoints stack, DevStack devStack) throws Exception {
    assumeTrue(
        devStack.config().existingKafka().isEmpty()
            && devStack.config().existingTemporal().isEmpty(),
        "skipped: this scenario restarts the Kafka broker and the Temporal server, which needs the"
            + " dev stack's own; KAFKA_BOOTSTRAP_SERVERS or TEMPORAL_ADDRESS names another one");
    long t0 = System.nanoTime();
    long seed = Long.getLong("bp.faults.seed", System.nanoTime());
    Random random = new Random(seed);
    int events = Integer.getInteger("bp.faults.router.events", DEFAULT_EVENTS);
    System.out.println(
        "fault suite: event-router seed="
            + seed
            + " (repeat the fault plan with -Dbp.faults.seed="
            + seed
            + "), "
            + events
            + " events");
    List<Fault> plan = new ArrayList<>();
    plan.addAll(Collections.nCopies(ROUTER_KILLS, Fault.ROUTER_KILL));
    plan.addAll(Collections.nCopies(TEMPORAL_RESTARTS, Fault.TEMPORAL_RESTART));
    plan.addAll(Collections.nCopies(BROKER_RESTARTS, Fault.BROKER_RESTART));
    Collections.shuffle(plan, random);

    ExecutorService producerThread = Executors.newSingleThreadExecutor();
    try (RouterBench bench = new RouterBench(stack, "router-faults", true)) {
      RouterStream stream = RouterStream.plan(bench.run, events, MALFORMED, RouterBench.MAX_BYTES);
      long expectedRuns = stream.expectedRuns();
      int size = stream.records.size();
      int waves = plan.size() + 1;
      Map<String, MalformedRecords.Malformed> malformedAt = new HashMap<>();
      List<String> faultLog = new ArrayList<>();
      Map<Fault, Integer> injected = new LinkedHashMap<>();
      double recovery = 0;
      int unexpectedExits = 0;

      Map<Future<RecordMetadata>, MalformedRecords.Malformed> sent =
          send(bench, stream.slice(0, size / waves));
      collect(bench, sent, malformedAt);
      for (int i = 0; i < plan.size(); i++) {
        Fault fault = plan.get(i);
        int waveStart = size * i / waves;
        int waveEnd = size * (i + 1) / waves;
        List<RouterStream.Planned> next = stream.slice(waveEnd, size * (i + 2) / waves);
        // Where in its wave the fault lands and how long a server stays down come from the seed:
        // a fixed downtime is the fault itself (pacing), not a condition to await.
        long threshold =
            waveStart + (long) ((waveEnd - waveStart) * (0.1 + 0.4 * random.nextDouble()));
        long downFor = 2_000 + random.nextInt(4_000);
        Awaitility.await("the router commits " + threshold + " records before fault " + (i + 1))
            .atMost(RECOVERY_LIMIT)
            .pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> bench.committed() >= threshold);
        long at = System.nanoTime();
        long committedAt = bench.committed();
        String detail;
        long base = committedAt;
        sent = null;
        switch (fault) {
          case ROUTER_KILL -> {
            long pid = bench.router().pid();
            bench.killRouter();
            // Read once the process is gone: nothing of the killed router commits after this.
            base = bench.committed();
            bench.startRouter();
            detail = "SIGKILL router pid " + pid + ", started again as the same static member";
          }
          case TEMPORAL_RESTART -> {
            devStack.killTemporalServer();
            Thread.sleep(downFor);
            devStack.startTemporalServer();
            detail = "SIGKILL Temporal server, down " + downFor + " ms, started again";
          }
          case BROKER_RESTART -> {
            devStack.stopKafkaBroker();
            // The next wave meets the outage: a producer thread sends it meanwhile. Without the
            // broker, send() blocks for metadata (at most max.block.ms, 60 s by default) and the
            // producer delivers what it holds once the broker is back (idempotent: no record
            // twice, none reordered).
            CompletableFuture<Map<Future<RecordMetadata>, MalformedRecords.Malformed>> sending =
                CompletableFuture.supplyAsync(() -> send(bench, next), producerThread);
            Thread.sleep(downFor);
            devStack.startKafkaBroker();
            sent = sending.get(2, TimeUnit.MINUTES);
            detail =
                "Kafka broker stopped, down "
                    + downFor
                    + " ms (the next wave of "
                    + next.size()
                    + " records sent meanwhile), started again on its data directory";
          }
          default -> throw new IllegalStateException(fault.name());
        }
        // Recovered once the router commits past what was committed when the fault was over: the
        // killed router's last commit, or the offsets once the server or broker is back (records
        // handled without Temporal, dead letters, can move them during a server outage).
        if (fault != Fault.ROUTER_KILL) {
          base =
              Awaitility.await("the committed offsets readable after fault " + (i + 1))
                  .atMost(RECOVERY_LIMIT)
                  .ignoreExceptions()
                  .until(bench::committed, c -> true);
        }
        long recoveredPast = base;
        Awaitility.await("the router commits again after fault " + (i + 1))
            .atMost(RECOVERY_LIMIT)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .failFast("the router process exited", () -> !bench.router().isAlive())
            .until(() -> bench.committed() > recoveredPast);
        double took = (System.nanoTime() - at) / 1e9;
        recovery = Math.max(recovery, took);
        injected.merge(fault, 1, Integer::sum);
        faultLog.add(
            String.format(
                Locale.ROOT,
                "fault %d at %5.1f s: %s; %d of %d records committed then; the router committed"
                    + " again %.1f s after the fault",
                i + 1,
                (at - t0) / 1e9,
                detail,
                committedAt,
                size,
                took));
        System.out.println(faultLog.get(faultLog.size() - 1));
        if (sent == null) {
          sent = send(bench, next);
        }
        collect(bench, sent, malformedAt);
      }

      // --- drained: every run finished, every record committed, every outbox row published -----
      boolean runsDone =
          awaitBounded(
              "every event's run finished its tasks",
              DRAIN_DEADLINE,
              () ->
                  bench.count("select count(*) from activity_run where outcome = 'TASKS_CREATED'")
                      >= expectedRuns);
      boolean allCommitted =
          awaitBounded(
              "the group committed every record",
              Duration.ofMinutes(2),
              () -> bench.committed() == bench.endOffsets());
      boolean allPublished =
          awaitBounded(
              "every outbox row published",
              Duration.ofMinutes(2),
              () ->
                  bench.count("select count(*) from task_outbox where published_at is null") == 0);
      long end = bench.endOffsets();
      long notCommitted = end - bench.committed();
      if (!bench.router().isAlive()) {
        unexpectedExits++;
      }

      // --- runs: exactly one per (activity, event), subjects in order ---------------------------
      Map<String, Map<String, Integer>> runs = bench.runsByActivity();
      long missingRuns = 0;
      long extraRuns = 0;
      long runsTwice = 0;
      for (var expected : stream.expectedByActivity().entrySet()) {
        Map<String, Integer> actual = runs.getOrDefault(expected.getKey(), Map.of());
        missingRuns += expected.getValue().stream().filter(id -> !actual.containsKey(id)).count();
      }
      for (var actual : runs.entrySet()) {
        Set<String> expected = stream.expectedByActivity().getOrDefault(actual.getKey(), Set.of());
        for (var run : actual.getValue().entrySet()) {
          if (!expected.contains(run.getKey())) {
            extraRuns++;
          }
          runsTwice += run.getValue() - 1;
        }
      }
      // Visibility trails the runs' last activity by a moment.
      boolean visible =
          awaitBounded(
              "visibility lists every run completed",
              Duration.ofMinutes(2),
              () ->
                  bench.runActivityWorkflows(" AND ExecutionStatus != 'Completed'") == 0
                      && bench.runActivityWorkflows(" AND ExecutionStatus = 'Completed'")
                          >= expectedRuns);
      long notCompleted = bench.runActivityWorkflows(" AND ExecutionStatus != 'Completed'");
      long runRows = bench.count("select count(distinct workflow_id) from activity_run");
      long taskRowsBeyond =
          Math.max(0, bench.count("select count(*) from task_instance") - runRows)
              + Math.max(0, bench.count("select count(*) from task_outbox") - runRows);
      long outOfOrder = 0;
      for (List<Integer> seqs : bench.subjectOrder().values()) {
        for (int k = 1; k < seqs.size(); k++) {
          outOfOrder += seqs.get(k) < seqs.get(k - 1) ? 1 : 0;
        }
      }
      long subjectTrouble = 0;
      long subjectRunTwice = 0;
      long handled = 0;
      long ignored = 0;
      for (int s = 0; s < stream.subjects; s++) {
        SubjectEventsState state = bench.subjectState(RouterStream.subject(s));
        subjectTrouble += state.counts().failed() + state.counts().rejected() + state.pending();
        subjectRunTwice += state.counts().alreadyRun();
        handled += state.counts().handled();
        ignored += state.counts().duplicates();
      }

      // --- dead letters: each malformed record once, with its reason ----------------------------
      Map<String, Integer> copies = new HashMap<>();
      long wrongLetters = 0;
      for (ConsumerRecord<byte[], byte[]> letter :
          bench.readDeadLetters(MALFORMED, "read_committed")) {
        String at =
            RouterBench.header(letter, DeadLetterWriter.SOURCE_PARTITION)
                + "@"
                + RouterBench.header(letter, DeadLetterWriter.SOURCE_OFFSET);
        MalformedRecords.Malformed m = malformedAt.get(at);
        if (m == null
            || !m.kind().label().equals(RouterBench.header(letter, DeadLetterWriter.REASON_KIND))
            || !Arrays.equals(m.value(), letter.value())) {
          wrongLetters++;
        }
        copies.merge(at, 1, Integer::sum);
      }
      long lettersMissing =
          malformedAt.keySet().stream().filter(at -> !copies.containsKey(at)).count();
      long lettersTwice = copies.values().stream().mapToLong(n -> n - 1).sum();
      int dlq = copies.values().stream().mapToInt(Integer::intValue).sum();
      int abortedCopies = bench.readDeadLetters(dlq, "read_uncommitted").size() - dlq;

      // --- the outbox relay: every row marked and on its topic ----------------------------------
      List<String> outboxRows = bench.outboxEventIds();
      Map<String, Integer> relayed = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record :
          bench.read(bench.outboxTopic, outboxRows.size(), "read_committed")) {
        relayed.merge(RouterBench.header(record, OutboxRelay.HEADER_EVENT_ID), 1, Integer::sum);
      }
      long unmarked = bench.count("select count(*) from task_outbox where published_at is null");
      long notRelayed = outboxRows.stream().filter(id -> !relayed.containsKey(id)).count();
      long republished = relayed.values().stream().mapToLong(n -> n - 1).sum();
      Set<String> rows = new HashSet<>(outboxRows);
      long strangeRelayed = relayed.keySet().stream().filter(id -> !rows.contains(id)).count();

      long lost =
          missingRuns
              + extraRuns
              + notCompleted
              + outOfOrder
              + subjectTrouble
              + lettersMissing
              + wrongLetters
              + notCommitted
              + unmarked
              + notRelayed
              + strangeRelayed;
      long duplicated = runsTwice + subjectRunTwice + taskRowsBeyond + lettersTwice;
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println(
          String.format(
              Locale.ROOT,
              """

              ==== fault suite: event router (seed %d) ====
              %s
              stream: %d events, %d records (%d redelivered, %d malformed of %d kinds), %d partitions
              runs: %d expected (start=%d, via %d subject workflows=%d); missing %d, for no event %d,\
               not completed %d, executed twice %d, task rows beyond one per run %d
              subjects: events handled %d, redelivered signals ignored %d, run twice %d,\
               failed/rejected/pending %d, runs out of their subject's order %d
              dead letters (read_committed): %d for %d malformed records; missing %d, twice %d,\
               wrong record or reason %d; aborted copies (read_uncommitted only) %d
              offsets: %d records, %d committed at the end%s
              relay: %d outbox rows, %d not marked, %d not on %s, %d republished copies (same\
               event id, at least once by design)
              router processes: %d started, %d exited on their own; logs in target/worker-logs
              drained: runs %s (bound %d s), visibility %s, offsets %s, outbox %s
              """,
              seed,
              String.join("\n", faultLog),
              events,
              size,
              stream.duplicates,
              MALFORMED,
              stream.kinds,
              RouterBench.PARTITIONS,
              expectedRuns,
              stream.invoiceEvents.size() + stream.auditEvents.size(),
              stream.subjects,
              stream.subjectEvents.size(),
              missingRuns,
              extraRuns,
              notCompleted,
              runsTwice,
              taskRowsBeyond,
              handled,
              ignored,
              subjectRunTwice,
              subjectTrouble,
              outOfOrder,
              dlq,
              malformedAt.size(),
              lettersMissing,
              lettersTwice,
              wrongLetters,
              abortedCopies,
              end,
              end - notCommitted,
              notCommitted == 0 ? " (nothing lost, nothing left)" : "",
              outboxRows.size(),
              unmarked,
              notRelayed,
              bench.outboxTopic,
              republished,
              bench.routerProcesses(),
              unexpectedExits,
              runsDone ? "yes" : "NO",
              DRAIN_DEADLINE.toSeconds(),
              visible ? "yes" : "NO",
              allCommitted ? "yes" : "NO",
              allPublished ? "yes" : "NO"));
      Map<String, Integer> byKind = new LinkedHashMap<>();
      byKind.put("router kills", injected.getOrDefault(Fault.ROUTER_KILL, 0));
      byKind.put("temporal restarts", injected.getOrDefault(Fault.TEMPORAL_RESTART, 0));
      byKind.put("broker restarts", injected.getOrDefault(Fault.BROKER_RESTART, 0));
      FaultMatrix.record(
          FaultMatrix.line(
              "event-router", byKind, (int) expectedRuns, lost, duplicated, recovery, seconds));

      assertThat(injected.values().stream().mapToInt(Integer::intValue).sum())
          .as("faults injected")
          .isEqualTo(plan.size());
      assertThat(lost).as("lost (see the counts above)").isZero();
      assertThat(duplicated).as("duplicated (see the counts above)").isZero();
      assertThat(unexpectedExits).as("router processes that exited on their own").isZero();
      assertThat(malformedAt).as("malformed records produced").hasSize(MALFORMED);
      assertThat(handled).as("subject events handled").isEqualTo(stream.signalled);
      assertThat(ignored)
          .as("redelivered signals ignored")
          .isGreaterThanOrEqualTo(stream.signalledDuplicates);
      assertThat(end).as("records on the topic").isEqualTo(size);
    } finally {
      producerThread.shutdownNow();
    }
  }

  /** Sends {@code records} to the bench's topic without waiting; the malformed ones' futures. */
  private static Map<Future<RecordMetadata>, MalformedRecords.Malformed> send(
      RouterBench bench, List<RouterStream.Planned> records) {
    Map<Future<RecordMetadata>, MalformedRecords.Malformed> sent = new HashMap<>();
    for (RouterStream.Planned p : records) {
      Future<RecordMetadata> at =
          bench.producer.send(
              new ProducerRecord<>(bench.topic, RouterStream.bytes(p.key()), p.value()));
      if (p.malformed() != null) {
        sent.put(at, p.malformed());
      }
    }
    return sent;
  }

  /** Waits until the producer delivered everything sent; where each malformed record landed. */
  private static void collect(
      RouterBench bench,
      Map<Future<RecordMetadata>, MalformedRecords.Malformed> sent,
      Map<String, MalformedRecords.Malformed> malformedAt)
      throws Exception {
    bench.producer.flush();
    for (var e : sent.entrySet()) {
      RecordMetadata at = e.getKey().get();
      malformedAt.put(at.partition() + "@" + at.offset(), e.getValue());
    }
  }

  /** Awaits {@code condition} at most {@code bound}; whether it held (the counts tell the rest). */
  private static boolean awaitBounded(String what, Duration bound, Callable<Boolean> condition) {
    try {
      Awaitility.await(what)
          .atMost(bound)
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      System.out.println("not within the bound: " + what);
      return false;
    }
  }
}
