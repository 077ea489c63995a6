package io.bptemporal.scheduler.reconcile;

import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.registry.store.ReconcileStatus;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.registry.store.RowStatus;
import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.NamespaceListing;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.plan.Planner;
import io.bptemporal.scheduler.plan.Resolution;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.plan.RowVerdict;
import io.bptemporal.scheduler.plan.Step;
import io.bptemporal.scheduler.temporal.NamespaceProbe;
import io.bptemporal.scheduler.temporal.ScheduleCallCounter;
import io.bptemporal.scheduler.temporal.TemporalSchedules;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Temporal Schedules match the activity registry: reads all rows and their statuses, checks
 * each row, lists the managed namespaces, plans (describing only what the listing cannot decide),
 * applies the changes and writes one status per row. One bad row never stops the others: it gets
 * its status and the pass goes on. A pass without registry changes makes no write call to Temporal
 * and rewrites no status row (only {@code last_reconciled_at}, in one statement).
 */
public final class ScheduleReconciler {
  private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);

  /**
   * Concurrent describe and write calls: enough to apply 1,000 rows in seconds, gentle on the
   * frontend.
   */
  static final int PARALLELISM = 8;

  private final ActivityRegistry registry;
  private final TemporalSchedules schedules;
  private final NamespaceProbe namespaces;
  private final RowChecks checks;
  private final ScheduleCallCounter counter;
  private final Clock clock;
  private final List<PassExtension> extensions;
  private final VerdictCache verdicts;

  public ScheduleReconciler(
      ActivityRegistry registry,
      TemporalSchedules schedules,
      NamespaceProbe namespaces,
      RowChecks checks,
      ScheduleCallCounter counter,
      Clock clock,
      List<PassExtension> extensions) {
    this.registry = registry;
    this.schedules = schedules;
    this.namespaces = namespaces;
    this.checks = checks;
    this.counter = counter;
    this.clock = clock;
    this.extensions = List.copyOf(extensions);
    this.verdicts = new VerdictCache(checks);
  }

  /**
   * What happens after the schedules are applied, e.g. starting compressed runs for COMPRESS rows.
   */
  public interface PassExtension {
    /** Returns how many runs it started; may update the statuses it is given. */
    int afterApply(Plan plan, Map<String, RowStatus> statuses, Instant now);
  }

  /** The plan for the registry as it is now; changes nothing (reads only). */
  public Plan plan() {
    return prepare().plan();
  }

  /** One pass: plan, apply, write statuses. */
  public PassResult apply() {
    long started = System.nanoTime();
    long writesBefore = counter.writes();
    Map<String, Long> callsBefore = counter.snapshot();
    Prepared prepared = prepare();
    Plan plan = prepared.plan();
    Instant now = plan.at();

    Map<Step.Change, String> failed = new LinkedHashMap<>();
    List<Step.Change> applied = new ArrayList<>();
    Map<Step, Optional<Failure>> outcomes = execute(plan.changes());
    outcomes.forEach(
        (step, error) -> {
          if (error.isPresent()) {
            failed.put((Step.Change) step, error.get().message());
          } else {
            applied.add((Step.Change) step);
          }
        });

    Map<String, RowStatus> next = new HashMap<>();
    int invalid = 0;
    for (Step step : plan.steps()) {
      Optional<RowStatus> status = statusAfter(step, outcomes.get(step), prepared.statuses(), now);
      if (status.isPresent()) {
        next.put(status.get().activityId(), status.get());
        if (status.get().status() == ReconcileStatus.INVALID) {
          invalid++;
        }
      }
    }
    int compressed = 0;
    for (PassExtension extension : extensions) {
      compressed += extension.afterApply(plan, next, now);
    }
    writeStatuses(prepared.statuses(), next, now);

    Map<String, Long> calls = new java.util.TreeMap<>();
    counter
        .snapshot()
        .forEach(
            (op, n) -> {
              long delta = n - callsBefore.getOrDefault(op, 0L);
              if (delta > 0) {
                calls.put(op, delta);
              }
            });
    PassResult result =
        new PassResult(
            plan,
            applied,
            failed,
            invalid,
            failed.size(),
            Duration.ofNanos(System.nanoTime() - started),
            calls,
            counter.writes() - writesBefore,
            compressed);
    failed.forEach((step, error) -> log.warn("{} failed: {}", step.key(), error));
    log.info("{}", result.summary());
    return result;
  }

  private record Prepared(Plan plan, Map<String, RowStatus> statuses) {}

  private Prepared prepare() {
    Instant now = clock.instant();
    long t0 = System.nanoTime();
    List<RegistryRow> rows = registry.rows();
    Map<String, RowStatus> statuses = registry.statuses();
    long t1 = System.nanoTime();
    Set<String> managed = checks.managedNamespaces();
    Set<String> existing = namespaces.existing(managed);
    List<NamespaceListing> listings = new ArrayList<>();
    for (String namespace : managed) {
      if (!existing.contains(namespace)) {
        continue;
      }
      try {
        listings.add(NamespaceListing.of(namespace, schedules.list(namespace)));
      } catch (RuntimeException e) {
        listings.add(NamespaceListing.failed(namespace, describe(e)));
      }
    }
    long t2 = System.nanoTime();
    verdicts.retain(
        rows.stream().map(RegistryRow::activityId).collect(java.util.stream.Collectors.toSet()));
    List<RowVerdict> checked = rows.stream().map(row -> verdicts.check(row, existing)).toList();
    long t3 = System.nanoTime();
    List<Step> draft = Planner.plan(checked, statuses, listings);
    List<Step> decided = resolve(draft);
    long t4 = System.nanoTime();
    log.debug(
        "read {} rows in {} ms, listed {} namespaces in {} ms, checked rows in {} ms, planned in {} ms",
        rows.size(),
        (t1 - t0) / 1_000_000,
        listings.size(),
        (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000,
        (t4 - t3) / 1_000_000);
    return new Prepared(new Plan(now, decided), statuses);
  }

  /** Describes the schedules the listing could not decide on, in parallel, and decides them. */
  private List<Step> resolve(List<Step> draft) {
    List<Step> decided = new ArrayList<>();
    Map<Step.Verify, Future<Optional<Step>>> pending = new LinkedHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Semaphore permits = new Semaphore(PARALLELISM);
      for (Step step : draft) {
        if (step instanceof Step.Verify verify) {
          pending.put(
              verify,
              executor.submit(
                  limited(
                      permits,
                      () ->
                          Resolution.resolve(
                              verify,
                              schedules.describe(verify.namespace(), verify.scheduleId())))));
        }
      }
      for (Step step : draft) {
        if (!(step instanceof Step.Verify verify)) {
          decided.add(step);
          continue;
        }
        try {
          pending.get(verify).get().ifPresent(decided::add);
        } catch (ExecutionException e) {
          String message =
              "cannot describe schedule " + verify.key() + ": " + describe(e.getCause());
          if (verify.row().isPresent()) {
            decided.add(new Step.Fail(verify.row().get(), message));
          } else {
            log.warn("{}", message);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing schedules", e);
    }
    decided.sort(java.util.Comparator.comparing(Step::key));
    return decided;
  }

  /** Runs each change; the value is empty on success, else the error message. */
  private Map<Step, Optional<Failure>> execute(List<Step.Change> changes) {
    Map<Step, Optional<Failure>> outcomes = new LinkedHashMap<>();
    Map<Step.Change, Future<?>> running = new LinkedHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Semaphore permits = new Semaphore(PARALLELISM);
      for (Step.Change change : changes) {
        running.put(
            change,
            executor.submit(
                limited(
                    permits,
                    () -> {
                      run(change);
                      return null;
                    })));
      }
      for (var entry : running.entrySet()) {
        try {
          entry.getValue().get();
          outcomes.put(entry.getKey(), Optional.empty());
          log.info("{} {}", verb(entry.getKey()), entry.getKey().key());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            // Not a failure of this change but of the process (out of memory, a simulated crash):
            // stop at
            // once, like a killed process, leaving the rest for the next pass.
            executor.shutdownNow();
            throw error;
          }
          outcomes.put(entry.getKey(), Optional.of(Failure.of(e.getCause())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying schedule changes", e);
    }
    return outcomes;
  }

  private void run(Step.Change change) {
    switch (change) {
      case Step.Create create -> {
        if (!schedules.create(create.desired())) {
          // Exists although not listed (the listing lags, or a crashed pass created it): decide
          // again from
          // the schedule itself, so a re-run converges instead of failing.
          DesiredSchedule desired = create.desired();
          Optional<Step> again =
              Resolution.resolve(
                  new Step.Verify(
                      desired.namespace(),
                      desired.scheduleId(),
                      Optional.of(desired),
                      Optional.of(create.row()),
                      List.of("exists")),
                  schedules.describe(desired.namespace(), desired.scheduleId()));
          if (again.isPresent()
              && again.get() instanceof Step.Change follow
              && !(follow instanceof Step.Create)) {
            run(follow);
          } else if (again.isPresent() && again.get() instanceof Step.Reject reject) {
            throw new NotOwnedException(reject.message());
          }
        }
      }
      case Step.Update update -> schedules.update(update.desired());
      case Step.Pause pause -> schedules.pause(pause.desired());
      case Step.Unpause unpause -> schedules.unpause(unpause.desired());
      case Step.Delete delete -> schedules.delete(delete.namespace(), delete.scheduleId());
    }
  }

  private static String verb(Step.Change change) {
    return switch (change) {
      case Step.Create c -> "created";
      case Step.Update u -> "updated";
      case Step.Pause p -> "paused";
      case Step.Unpause u -> "unpaused";
      case Step.Delete d -> "deleted";
    };
  }

  private Optional<RowStatus> statusAfter(
      Step step, Optional<Failure> error, Map<String, RowStatus> before, Instant now) {
    return switch (step) {
      case Step.Keep keep -> {
        RowStatus previous = before.get(keep.row().activityId());
        String hash = keep.desired().specHash();
        Optional<String> fingerprint =
            previous != null
                    && previous.specHash().equals(Optional.of(hash))
                    && previous.observedFingerprint().isPresent()
                ? previous.observedFingerprint()
                : keep.fingerprintToRecord();
        yield Optional.of(
            ok(keep.row(), keep.desired(), previous, fingerprint, written(previous), now));
      }
      case Step.NoSchedule none ->
          Optional.of(
              new RowStatus(
                  none.row().activityId(),
                  ReconcileStatus.OK,
                  none.reason(),
                  none.row().version(),
                  Optional.empty(),
                  Optional.empty(),
                  now,
                  Optional.empty(),
                  Optional.empty()));
      case Step.Reject reject ->
          Optional.of(
              keepFacts(reject.row(), ReconcileStatus.INVALID, reject.message(), before, now));
      case Step.Fail fail ->
          Optional.of(keepFacts(fail.row(), ReconcileStatus.ERROR, fail.message(), before, now));
      case Step.Delete delete ->
          delete
              .row()
              .map(
                  row ->
                      error.isPresent()
                          ? keepFacts(
                              row,
                              ReconcileStatus.ERROR,
                              "cannot delete schedule "
                                  + delete.key()
                                  + ": "
                                  + error.get().message(),
                              before,
                              now)
                          : new RowStatus(
                              row.activityId(),
                              ReconcileStatus.OK,
                              Planner.noScheduleReason(row),
                              row.version(),
                              Optional.empty(),
                              Optional.empty(),
                              now,
                              Optional.empty(),
                              Optional.empty()));
      case Step.Create create ->
          Optional.of(changed(create.desired(), create.row(), error, before, now, "create"));
      case Step.Update update ->
          Optional.of(changed(update.desired(), update.row(), error, before, now, "update"));
      case Step.Pause pause ->
          Optional.of(changed(pause.desired(), pause.row(), error, before, now, "pause"));
      case Step.Unpause unpause ->
          Optional.of(changed(unpause.desired(), unpause.row(), error, before, now, "unpause"));
      case Step.Verify verify -> throw new IllegalStateException("undecided step " + verify.key());
    };
  }

  private RowStatus changed(
      DesiredSchedule desired,
      RegistryRow row,
      Optional<Failure> error,
      Map<String, RowStatus> before,
      Instant now,
      String what) {
    RowStatus previous = before.get(desired.activityId());
    if (error.isPresent()) {
      ReconcileStatus status =
          error.get().rowProblem() ? ReconcileStatus.INVALID : ReconcileStatus.ERROR;
      String message =
          "cannot "
              + what
              + " schedule "
              + desired.namespace()
              + "/"
              + desired.scheduleId()
              + ": "
              + error.get().message();
      return new RowStatus(
          row.activityId(),
          status,
          message,
          row.version(),
          previous == null ? Optional.empty() : previous.specHash(),
          previous == null ? Optional.empty() : previous.observedFingerprint(),
          now,
          written(previous),
          previous == null ? Optional.empty() : previous.missedRunsCheckedThrough());
    }
    // The schedule was just written: its listed form is recorded on the first pass that lists it.
    return new RowStatus(
        row.activityId(),
        ReconcileStatus.OK,
        okMessage(desired),
        row.version(),
        Optional.of(desired.specHash()),
        Optional.empty(),
        now,
        Optional.of(now),
        previous == null ? Optional.empty() : previous.missedRunsCheckedThrough());
  }

  private RowStatus ok(
      RegistryRow row,
      DesiredSchedule desired,
      RowStatus previous,
      Optional<String> fingerprint,
      Optional<Instant> writtenAt,
      Instant now) {
    return new RowStatus(
        row.activityId(),
        ReconcileStatus.OK,
        okMessage(desired),
        row.version(),
        Optional.of(desired.specHash()),
        fingerprint,
        now,
        writtenAt,
        previous == null ? Optional.empty() : previous.missedRunsCheckedThrough());
  }

  private static RowStatus keepFacts(
      RegistryRow row,
      ReconcileStatus status,
      String message,
      Map<String, RowStatus> before,
      Instant now) {
    RowStatus previous = before.get(row.activityId());
    return new RowStatus(
        row.activityId(),
        status,
        message,
        row.version(),
        previous == null ? Optional.empty() : previous.specHash(),
        previous == null ? Optional.empty() : previous.observedFingerprint(),
        now,
        written(previous),
        previous == null ? Optional.empty() : previous.missedRunsCheckedThrough());
  }

  private static Optional<Instant> written(RowStatus previous) {
    return previous == null ? Optional.empty() : previous.scheduleWrittenAt();
  }

  static String okMessage(DesiredSchedule desired) {
    return "in sync: schedule "
        + desired.namespace()
        + "/"
        + desired.scheduleId()
        + ", spec "
        + desired.specHash().substring(0, "sha256:".length() + 12);
  }

  private void writeStatuses(
      Map<String, RowStatus> before, Map<String, RowStatus> next, Instant now) {
    List<RowStatus> changed = new ArrayList<>();
    List<String> confirmed = new ArrayList<>();
    for (RowStatus status : next.values()) {
      RowStatus previous = before.get(status.activityId());
      if (previous != null && previous.sameOutcome(status)) {
        confirmed.add(status.activityId());
      } else {
        changed.add(status);
      }
    }
    registry.saveStatuses(changed);
    registry.markReconciled(confirmed, now);
  }

  private static <T> Callable<T> limited(Semaphore permits, Callable<T> call) {
    return () -> {
      permits.acquire();
      try {
        return call.call();
      } finally {
        permits.release();
      }
    };
  }

  /**
   * Why a change failed.
   *
   * @param rowProblem the row must be fixed (Temporal refused its spec as invalid, or its schedule
   *     ID is taken by a schedule this scheduler does not own): INVALID; otherwise ERROR, retried
   *     next pass
   */
  record Failure(String message, boolean rowProblem) {
    static Failure of(Throwable e) {
      boolean rowProblem = e instanceof NotOwnedException;
      for (Throwable cause = e; cause != null && !rowProblem; cause = cause.getCause()) {
        rowProblem =
            cause instanceof StatusRuntimeException status
                && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
      }
      return new Failure(describe(e), rowProblem);
    }
  }

  /** The schedule ID of a row turned out to belong to a schedule this scheduler does not own. */
  static final class NotOwnedException extends RuntimeException {
    NotOwnedException(String message) {
      super(message);
    }
  }

  /**
   * A one-line reason; gRPC status codes first, so INVALID_ARGUMENT (a refused spec) can be told
   * apart.
   */
  static String describe(Throwable e) {
    if (e instanceof NotOwnedException) {
      return e.getMessage();
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status) {
        Status s = status.getStatus();
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
      }
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }
}
