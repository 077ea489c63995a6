package io.bptemporal.scheduler.compress;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.activity.MissedRunPolicy;
import io.bptemporal.contracts.activity.SchedulePolicies;
import io.bptemporal.contracts.naming.ScheduledRun;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.registry.store.RowStatus;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.ScheduleOwnership;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.reconcile.ScheduleReconciler;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COMPRESS, the scheduler's part (docs/scheduler.md#missed-runs): the schedule of a COMPRESS row
 * has the minimum catch-up window, so the server drops runs missed by more than 10 s instead of
 * replaying them. After each pass the leader looks at the due times of every COMPRESS schedule
 * since it last checked (within the row's catch-up window); when some were missed, it starts one
 * RunActivityWorkflow for the last missed time, ID {@code <activity_id>:<last missed time>}, with
 * the window in its input: {@code {"activity_id", "scheduled_for": last, "compressed_window":
 * {"missed_from", "missed_to", "missed_count"}}}.
 *
 * <p>Cheap when nothing was missed: due times that Temporal's listing shows among the recent runs
 * need no lookup; only unexplained ones cost one visibility query for that schedule.
 */
public final class MissedRunCompressor implements ScheduleReconciler.PassExtension {
  private static final Logger log = LoggerFactory.getLogger(MissedRunCompressor.class);

  /**
   * After a due time, how long until its run must be visible: start latency plus visibility lag.
   */
  static final Duration SETTLE = Duration.ofSeconds(20);

  static final int MAX_DUE = 10_000;

  private final TemporalConnection connection;
  private final WorkflowServiceStubs stubs;
  private final ScheduleCallCounter counter;
  private final Duration settle;
  private final Map<String, WorkflowClient> clients = new ConcurrentHashMap<>();

  public MissedRunCompressor(TemporalConnection connection, ScheduleCallCounter counter) {
    this(connection, counter, SETTLE);
  }

  /**
   * @param settle how long after a due time its run must be visible (tests shorten it)
   */
  public MissedRunCompressor(
      TemporalConnection connection, ScheduleCallCounter counter, Duration settle) {
    this.connection = connection;
    this.stubs = connection.stubs();
    this.counter = counter;
    this.settle = settle;
  }

  @Override
  public int afterApply(Plan plan, Map<String, RowStatus> statuses, Instant now) {
    int started = 0;
    for (Step step : plan.steps()) {
      if (!(step instanceof Step.Keep keep)
          || keep.desired().policies().missedRun() != MissedRunPolicy.COMPRESS
          || keep.desired().paused()) {
        continue;
      }
      RowStatus status = statuses.get(keep.desired().activityId());
      if (status == null) {
        continue;
      }
      try {
        Outcome outcome = check(keep, status, now);
        statuses.put(
            status.activityId(), status.withMissedRunsCheckedThrough(outcome.checkedThrough()));
        started += outcome.started() ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("cannot check missed runs of {}: {}", keep.key(), e.toString());
      }
    }
    return started;
  }

  private record Outcome(Optional<Instant> checkedThrough, boolean started) {}

  private Outcome check(Step.Keep keep, RowStatus status, Instant now) {
    DesiredSchedule desired = keep.desired();
    Instant lower = now.minus(desired.policies().catchUpWindow());
    lower = later(lower, status.scheduleWrittenAt());
    lower = later(lower, status.missedRunsCheckedThrough());
    Instant upper =
        now.minus(SchedulePolicies.MIN_CATCH_UP_WINDOW)
            .minus(desired.trigger().jitter())
            .minus(settle);
    if (!upper.isAfter(lower)) {
      return new Outcome(status.missedRunsCheckedThrough(), false);
    }
    List<Instant> due = TriggerTimes.between(desired.trigger(), lower, upper, MAX_DUE);
    Set<Instant> recent = new HashSet<>(keep.recentRuns());
    List<Instant> unknown = due.stream().filter(time -> !recent.contains(time)).toList();
    if (unknown.isEmpty()) {
      return new Outcome(Optional.of(upper), false);
    }
    List<MissedRuns.Run> runs = runs(desired, unknown.getFirst());
    MissedRuns.Decision decision =
        MissedRuns.decide(unknown, runs, upper, now, desired.policies().catchUpWindow());
    if (decision.missed().isEmpty()) {
      return new Outcome(Optional.of(upper), false);
    }
    if (!decision.compressNow()) {
      // The outage may still go on: check these times again next pass, with whatever was missed
      // after them.
      return new Outcome(Optional.of(decision.missed().getFirst().minusSeconds(1)), false);
    }
    startCompressedRun(desired, decision.missed());
    return new Outcome(Optional.of(upper), true);
  }

  /** The schedule's runs that were still open at or after {@code since}, by their nominal time. */
  private List<MissedRuns.Run> runs(DesiredSchedule desired, Instant since) {
    String query =
        "TemporalScheduledById = '"
            + desired.scheduleId()
            + "' AND (ExecutionStatus = 'Running' OR CloseTime >= '"
            + DateTimeFormatter.ISO_INSTANT.format(since)
            + "')";
    List<MissedRuns.Run> runs = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      counter.record("ListWorkflowExecutions");
      ListWorkflowExecutionsResponse page =
          stubs
              .blockingStub()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(desired.namespace())
                      .setQuery(query)
                      .setPageSize(1000)
                      .setNextPageToken(token)
                      .build());
      for (WorkflowExecutionInfo info : page.getExecutionsList()) {
        Optional<ScheduledRun> run =
            WorkflowIds.parseScheduledRun(info.getExecution().getWorkflowId());
        if (run.isPresent()) {
          runs.add(
              new MissedRuns.Run(
                  run.get().scheduledFor(),
                  instant(info.getStartTime()),
                  info.hasCloseTime()
                      ? Optional.of(instant(info.getCloseTime()))
                      : Optional.empty()));
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty() && runs.size() < MAX_DUE);
    return runs;
  }

  private void startCompressedRun(DesiredSchedule desired, List<Instant> missed) {
    Instant first = missed.getFirst();
    Instant last = missed.getLast();
    RunActivityRequest request =
        new RunActivityRequest(
            desired.activityId(),
            Optional.of(last),
            Optional.empty(),
            Optional.of(new CompressedWindow(first, last, missed.size())),
            Optional.empty());
    ContractValidator.validateRecord(Contracts.RUN_ACTIVITY_REQUEST, request).orElseThrow();
    String workflowId = WorkflowIds.scheduledRun(desired.activityId(), last);
    WorkflowClient client =
        clients.computeIfAbsent(desired.namespace(), ns -> connection.client(ns, List.of()));
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            RunActivityWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(desired.taskQueue())
                .setMemo(Map.of(ScheduleOwnership.ACTION_MEMO_ACTIVITY_ID, desired.activityId()))
                .build());
    try {
      counter.record("StartWorkflowExecution");
      stub.start(request);
      log.info(
          "{}/{}: {} run(s) missed from {} to {}; started {} for all of them",
          desired.namespace(),
          desired.scheduleId(),
          missed.size(),
          first,
          last,
          workflowId);
    } catch (WorkflowExecutionAlreadyStarted e) {
      log.info(
          "{}/{}: compressed run {} exists already",
          desired.namespace(),
          desired.scheduleId(),
          workflowId);
    }
  }

  private static Instant later(Instant instant, Optional<Instant> other) {
    return other.isPresent() && other.get().isAfter(instant) ? other.get() : instant;
  }

  private static Instant instant(com.google.protobuf.Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
