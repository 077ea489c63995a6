package io.bptemporal.pipeline.worker;

import static io.bptemporal.pipeline.TestDatabases.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.FaultMatrix;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.pipeline.TestDatabases;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault suite, scenario "pipeline" (issue 19, docs/reliability.md; {@code make faults}): one load
 * of 100,000 generated customer records (the real rule set, quarantine on, 3 in 1,000 records bad)
 * while the pipeline worker process is SIGKILLed twice and PostgreSQL — the pipeline database's
 * server, which in the dev stack is also Temporal's — is restarted once, in a seeded order, each
 * fault at a seeded point of the load.
 *
 * <p>Afterwards: the run completed with the exact read/loaded/quarantined counts; every good record
 * is in the target once, every bad one in the quarantine once with its rule; and every partition
 * that was part-way when a worker was killed resumed exactly at the checkpoint committed before the
 * kill. <b>Re-read rows</b> are the records committed before a kill that a later attempt read again
 * (a resume behind its committed checkpoint, or a start over): 0 when resuming works. The records a
 * killed attempt had read but not yet committed (at most one batch per partition in flight) are
 * read again by design and are not counted: the killed worker cannot report them.
 */
@ExtendWith(DevStackExtension.class)
class PipelineFaultsIT {
  private static final int RECORDS = 100_000;
  private static final int BAD_PER_THOUSAND = 3;
  private static final Duration READY = Duration.ofSeconds(90);
  // A fault waits for the load to reach its point; after it, for the next committed batch (the
  // recovery). Both are bounds, not delays: a killed worker's partitions come back after the 10 s
  // heartbeat timeout, a database outage after the activity retries' backoff (up to 30 s).
  private static final Duration PROGRESS_LIMIT = Duration.ofMinutes(3);
  private static final Duration RESULT_LIMIT = Duration.ofMinutes(4);
  private static final Pattern RESUMED =
      Pattern.compile(
          "partition (\\d+) resumes at offset (\\d+) from its (committed|heartbeat) checkpoint");

  private enum Fault {
    WORKER_KILL,
    POSTGRES_RESTART
  }

  @TempDir Path dir;

  // The whole scenario's bound (every wait inside has its own): a hung run fails the suite instead
  // of holding CI.
  @Test
  @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
  void aLoadSurvivesTwoWorkerKillsAndAPostgresRestartExactlyOnceResumingFromCheckpoints(
      StackEndpoints stack, DevStack devStack) throws Exception {
    assumeTrue(
        devStack.config().existingPostgres().isEmpty(),
        "skipped: this scenario restarts PostgreSQL, which needs the dev stack's own;"
            + " DEVSTACK_JDBC_URL names another one");
    long t0 = System.nanoTime();
    long seed = Long.getLong("bp.faults.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println(
        "fault suite: pipeline seed="
            + seed
            + " (repeat the fault plan with -Dbp.faults.seed="
            + seed
            + "), "
            + RECORDS
            + " records");
    List<Fault> plan =
        new ArrayList<>(List.of(Fault.WORKER_KILL, Fault.WORKER_KILL, Fault.POSTGRES_RESTART));
    Collections.shuffle(plan, random);
    // The points of the load (records committed) at which the faults land: one in each of three
    // bands, so that every fault meets the load in flight and each has room to recover.
    List<Long> points = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      points.add((long) (RECORDS * (0.15 + 0.22 * i + 0.08 * random.nextDouble())));
    }

    String database = "pipeline_faults";
    String url = stack.postgres().freshDatabase(database, database, TestDatabases.PASSWORD);
    CustomerData.Generated file =
        CustomerData.writeNdjson(dir.resolve("customers.ndjson"), RECORDS, BAD_PER_THOUSAND);
    String taskQueue = "pipelines-faults-" + UUID.randomUUID();
    Map<String, String> env = PipelineLoads.workerEnv(stack, url, database, taskQueue);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    List<WorkerProcessHandle> workers = new ArrayList<>();
    // One connection: the audit's queries, and "no other session" means none of a killed worker's.
    try (HikariDataSource db =
        Databases.pool(new DatabaseSettings(url, database, TestDatabases.PASSWORD, 1), "faults")) {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute(CustomerData.createTable("customers"));
      }
      workers.add(WorkerProcessHandle.start("pipeline-faults-worker-1", env));
      workers.getLast().awaitReady(READY);
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs,
              WorkflowClientOptions.newBuilder().setNamespace(Namespaces.PIPELINES.name()).build());
      PipelineLoads.Load load = PipelineLoads.start(client, taskQueue, file, "customers-faults");

      Map<Fault, Integer> injected = new LinkedHashMap<>();
      List<String> faultLog = new ArrayList<>();
      List<String> recoveries = new ArrayList<>();
      // Per worker kill: the partitions part-way at the kill, by index, and their committed offset.
      List<Map<Integer, Long>> partialAtKill = new ArrayList<>();
      List<Integer> firstWorkerAfterKill = new ArrayList<>();
      long committedAtLastKill = 0;
      double recovery = 0;
      for (int i = 0; i < plan.size(); i++) {
        Fault fault = plan.get(i);
        long point = points.get(i);
        awaitCommitted(db, load, point, "fault " + (i + 1) + "'s point", workers.getLast());
        long at = System.nanoTime();
        String detail;
        switch (fault) {
          case WORKER_KILL -> {
            WorkerProcessHandle killed = workers.getLast();
            killed.kill();
            // The killed worker's sessions end when PostgreSQL sees its sockets close; only then
            // are its last commits known (a COMMIT it sent either landed or never will).
            Awaitility.await("the killed worker's database sessions end")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                    () ->
                        count(
                            db,
                            "select count(*) from pg_stat_activity where datname ="
                                + " current_database() and backend_type = 'client backend'"
                                + " and pid <> pg_backend_pid()"),
                    sessions -> sessions == 0);
            Map<Integer, Long> partial = partialPartitions(db, load.pipelineId(), file);
            partialAtKill.add(partial);
            firstWorkerAfterKill.add(workers.size());
            committedAtLastKill = count(db, load.committedSql());
            detail =
                String.format(
                    "SIGKILL worker %d (pid %d), %,d records committed, %d partition(s) part-way %s",
                    workers.size(), killed.pid(), committedAtLastKill, partial.size(), partial);
            workers.add(
                WorkerProcessHandle.start("pipeline-faults-worker-" + (workers.size() + 1), env));
            workers.getLast().awaitReady(READY);
          }
          case POSTGRES_RESTART -> {
            long committed = count(db, load.committedSql());
            long downFor = 2_000 + random.nextInt(4_000);
            devStack.stopPostgres();
            // The outage's length comes from the seed: a fault window, not a wait for a condition.
            Thread.sleep(downFor);
            devStack.startPostgres();
            detail =
                String.format(
                    "PostgreSQL stopped (pipeline and Temporal databases) with %,d records"
                        + " committed, down %d ms, started again",
                    committed, downFor);
          }
          default -> throw new IllegalStateException(fault.name());
        }
        injected.merge(fault, 1, Integer::sum);
        faultLog.add(
            String.format(
                "fault %d at %5.1f s (point %,d): %s",
                i + 1, (System.nanoTime() - t0) / 1e9, point, detail));
        System.out.println(faultLog.getLast());
        // Recovered: a batch committed after the fault. The next fault lands only then, so that
        // each fault's recovery is measured on its own.
        long committedAfter =
            Awaitility.await("the committed count after fault " + (i + 1))
                .atMost(PROGRESS_LIMIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> count(db, load.committedSql()), c -> true);
        Awaitility.await("a batch committed after fault " + (i + 1))
            .atMost(PROGRESS_LIMIT)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .failFast("the load ended before it recovered", () -> load.result().isDone())
            .until(() -> count(db, load.committedSql()), c -> c > committedAfter || c == RECORDS);
        double took = (System.nanoTime() - at) / 1e9;
        recovery = Math.max(recovery, took);
        recoveries.add(
            String.format(
                "fault %d (%s): the next batch committed %.1f s after the fault",
                i + 1, fault.name().toLowerCase(java.util.Locale.ROOT), took));
      }

      boolean completed;
      String outcome;
      try {
        PipelineResult result = load.result().get(RESULT_LIMIT.toSeconds(), TimeUnit.SECONDS);
        completed =
            result.equals(
                new PipelineResult(
                    load.pipelineId(),
                    RECORDS,
                    file.good(),
                    file.defects().size(),
                    PipelineLoads.partitions(file)));
        outcome = result.toString();
      } catch (ExecutionException | TimeoutException e) {
        completed = false;
        outcome = "not completed: " + e;
      }
      PipelineLoads.Audit audit = PipelineLoads.audit(db, file, load.pipelineId());

      // Where each partition part-way at a kill resumed: the first resume line of that partition
      // in the logs of the workers started after the kill (without one, it started over).
      long reRead = 0;
      List<String> resumes = new ArrayList<>();
      for (int k = 0; k < partialAtKill.size(); k++) {
        Map<Integer, Long> resumedAt = new TreeMap<>();
        for (WorkerProcessHandle later :
            workers.subList(firstWorkerAfterKill.get(k), workers.size())) {
          for (String line : later.linesContaining("resumes at offset")) {
            Matcher m = RESUMED.matcher(line);
            if (m.find() && line.contains(load.pipelineId())) {
              resumedAt.putIfAbsent(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
            }
          }
        }
        for (var partial : partialAtKill.get(k).entrySet()) {
          int partition = partial.getKey();
          long from =
              resumedAt.getOrDefault(partition, (long) partition * PipelineLoads.PARTITION_SIZE);
          reRead += Math.max(0, partial.getValue() - from);
          resumes.add(
              String.format(
                  "kill %d: partition %d committed through %,d, resumed at %,d%s",
                  k + 1,
                  partition,
                  partial.getValue(),
                  from,
                  resumedAt.containsKey(partition) ? "" : " (started over: no resume line)"));
        }
      }
      long partialTotal = partialAtKill.stream().mapToLong(Map::size).sum();
      WorkerProcessHandle last = workers.getLast();
      long countedByLast = last.rowsCounted();
      int exitStatus = last.terminate(Duration.ofSeconds(20));
      long lost = (completed ? 0 : 1) + audit.missing();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println(
          """

          ==== fault suite: pipeline (seed %d) ====
          %s
          %s
          run: %s
          %s
          resumes after kills (%d partitions part-way):
            %s
          re-read rows (committed before a kill, read again): %,d
          last worker (%d of %d) counted %,d rows (bp_pipeline_rows_total), %,d were not committed when it started; stopped by SIGTERM with exit status %d
          """
              .formatted(
                  seed,
                  String.join("\n", faultLog),
                  String.join("\n", recoveries),
                  outcome,
                  audit.summary(),
                  partialTotal,
                  resumes.isEmpty() ? "(none)" : String.join("\n  ", resumes),
                  reRead,
                  workers.size(),
                  workers.size(),
                  countedByLast,
                  RECORDS - committedAtLastKill,
                  exitStatus));
      Map<String, Integer> byKind = new LinkedHashMap<>();
      byKind.put("worker kills", injected.getOrDefault(Fault.WORKER_KILL, 0));
      byKind.put("postgres restarts", injected.getOrDefault(Fault.POSTGRES_RESTART, 0));
      FaultMatrix.record(
          FaultMatrix.line("pipeline", byKind, 1, lost, audit.duplicated(), recovery, seconds)
              + String.format(" re_read_rows=%d", reRead));

      assertThat(outcome)
          .as("the run completed with the exact counts")
          .isEqualTo(
              new PipelineResult(
                      load.pipelineId(),
                      RECORDS,
                      file.good(),
                      file.defects().size(),
                      PipelineLoads.partitions(file))
                  .toString());
      PipelineLoads.assertExact(db, file, load.pipelineId());
      assertThat(partialTotal)
          .as("the kills met partitions part-way (else no resume was tested)")
          .isPositive();
      assertThat(reRead).as("records committed before a kill and read again: " + resumes).isZero();
      // At most: a batch whose commit landed while PostgreSQL restarted under the last worker is
      // not counted by it (the commit's answer was lost), but nothing committed may count twice.
      assertThat(countedByLast)
          .as("rows counted by the last worker, which started after the last kill")
          .isLessThanOrEqualTo(RECORDS - committedAtLastKill);
      assertThat(exitStatus).as("exit status after SIGTERM (graceful stop)").isZero();
    } finally {
      workers.forEach(WorkerProcessHandle::close);
      stubs.shutdownNow();
    }
  }

  /** Waits until the load has committed at least {@code point} records. */
  private static long awaitCommitted(
      HikariDataSource db,
      PipelineLoads.Load load,
      long point,
      String what,
      WorkerProcessHandle worker) {
    try {
      return Awaitility.await(what + " (" + point + " records committed)")
          .atMost(PROGRESS_LIMIT)
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .failFast("the load must still run when the fault lands", () -> load.result().isDone())
          .until(() -> count(db, load.committedSql()), committed -> committed >= point);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError(
          e.getMessage()
              + (worker == null ? "" : "; worker output:\n" + String.join("\n", worker.output())),
          e);
    }
  }

  /** Partitions with a committed checkpoint between their first and last record: index → offset. */
  private static Map<Integer, Long> partialPartitions(
      HikariDataSource db, String pipelineId, CustomerData.Generated file) throws Exception {
    Map<Integer, Long> partial = new TreeMap<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select partition_index, next_offset from pipeline_checkpoint where pipeline_id = '"
                    + pipelineId
                    + "'")) {
      while (rs.next()) {
        int index = rs.getInt(1);
        long start = (long) index * PipelineLoads.PARTITION_SIZE;
        long end = Math.min(file.records(), start + PipelineLoads.PARTITION_SIZE);
        long next = rs.getLong(2);
        if (next > start && next < end) {
          partial.put(index, next);
        }
      }
    }
    return partial;
  }
}
