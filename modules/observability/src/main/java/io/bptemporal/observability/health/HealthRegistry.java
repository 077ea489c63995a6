package io.bptemporal.observability.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The readiness checks a process registers at start-up. {@link #check()} runs them all in parallel,
 * each bounded by a timeout, so one hanging dependency cannot make the kubelet's probe time out and
 * hide which dependency it was.
 */
public final class HealthRegistry implements AutoCloseable {
  /**
   * Per check. The readiness probe's timeout must exceed it (3 s or more), so /readyz always
   * answers with the names of the failing checks instead of timing out.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** The name of the failing pseudo-check reported while no check is registered. */
  public static final String STARTING = "start-up";

  private final Duration timeout;
  private final Map<String, ReadinessCheck> checks = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  // Virtual threads: a probe blocked on a dead socket costs nothing while it waits out its timeout.
  private final ExecutorService probes =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("readiness-probe-", 0).factory());

  public HealthRegistry() {
    this(DEFAULT_TIMEOUT);
  }

  public HealthRegistry(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("check timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  /**
   * Adds a check; names are unique, so /readyz never shows two lines an operator cannot tell apart.
   */
  public HealthRegistry register(ReadinessCheck check) {
    if (checks.putIfAbsent(check.name(), check) != null) {
      throw new IllegalArgumentException(
          "a readiness check named '" + check.name() + "' is already registered");
    }
    order.add(check.name());
    return this;
  }

  public HealthRegistry register(String name, Probe probe) {
    return register(new ReadinessCheck(name, probe));
  }

  /** Removes a check (a component that stopped on purpose); false when none had that name. */
  public boolean unregister(String name) {
    order.remove(name);
    return checks.remove(name) != null;
  }

  /**
   * Runs every check now. With no check registered the process is still starting (the management
   * endpoint comes up before the process has wired its dependencies), so it is not ready: otherwise
   * a probe could see 200 and send traffic or SIGTERM before the process can handle either.
   */
  public ReadinessReport check() {
    List<ReadinessCheck> current =
        order.stream().map(checks::get).filter(Objects::nonNull).toList();
    if (current.isEmpty()) {
      return new ReadinessReport(
          List.of(
              new CheckOutcome(
                  STARTING,
                  false,
                  "no readiness check registered yet: the process is starting",
                  Duration.ZERO)));
    }
    List<CompletableFuture<CheckOutcome>> running = new ArrayList<>();
    for (ReadinessCheck check : current) {
      long started = System.nanoTime();
      running.add(
          CompletableFuture.supplyAsync(() -> run(check, started), probes)
              .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
              .thenApply(
                  outcome ->
                      outcome != null
                          ? outcome
                          : new CheckOutcome(
                              check.name(),
                              false,
                              "no answer within " + timeout.toMillis() + " ms",
                              timeout)));
    }
    return new ReadinessReport(running.stream().map(CompletableFuture::join).toList());
  }

  private static CheckOutcome run(ReadinessCheck check, long started) {
    CheckResult result;
    try {
      result = check.probe().probe();
      if (result == null) {
        result = CheckResult.unhealthy("the probe returned no result");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = CheckResult.unhealthy("interrupted");
    } catch (Exception | LinkageError e) {
      result = CheckResult.unhealthy(describe(e));
    }
    return new CheckOutcome(
        check.name(),
        result.healthy(),
        result.detail(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  static String describe(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return "timed out";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName()
        + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
