package io.bptemporal.systemtests.blueprint;

import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.PaymentMethod;
import io.bptemporal.contracts.ordersaga.PaymentMethodType;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.ordersaga.cli.OrderPlacer;
import io.bptemporal.ordersaga.cli.PlacedOrder;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;

/**
 * Order sagas kept running while the release changes under them (upgrade, rollout, rollback):
 * {@code inFlight} sagas at a time, each an order that must complete (stock seeded for {@link
 * #SKU}, a card the ledger accepts). A saga counts as failed when it cannot be started, ends
 * otherwise than COMPLETED, or has no outcome within {@link #OUTCOME_TIMEOUT}.
 */
final class SagaLoad implements AutoCloseable {
  static final String SKU = "SKU-E2E-LOAD";
  static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(10);

  /** What a load did. */
  record Outcome(int started, int completed, int failed, List<String> problems) {
    @Override
    public String toString() {
      return started
          + " started, "
          + completed
          + " completed, "
          + failed
          + " failed"
          + (problems.isEmpty()
              ? ""
              : "; first problems: " + problems.subList(0, Math.min(5, problems.size())));
    }
  }

  private final OrderPlacer placer;
  private final String phase;
  private final Semaphore slots;
  private final int inFlight;
  private final ExecutorService sagas = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

  /**
   * Each completed saga's start and completion ({@link System#nanoTime()}), for the fault suite.
   */
  private final ConcurrentLinkedQueue<long[]> completions = new ConcurrentLinkedQueue<>();

  private final Thread starter;

  SagaLoad(OrderPlacer placer, String phase, int inFlight) {
    this.placer = placer;
    this.phase = phase;
    this.inFlight = inFlight;
    this.slots = new Semaphore(inFlight);
    this.starter =
        Thread.ofPlatform().name("saga-load-" + phase).daemon().start(this::keepStarting);
  }

  int completed() {
    return completed.get();
  }

  /** Sagas started and not ended yet. */
  int inFlight() {
    return started.get() - completed.get() - failed.get();
  }

  /** The prefix of the order IDs of this load's sagas (in the orders database). */
  String orderIdPrefix() {
    return "o-e2e-" + phase + "-";
  }

  /**
   * Waits until a saga started at or after {@code nanos} ({@link System#nanoTime()}) completed, and
   * returns when the first such saga completed: proof that the whole path (start through the
   * frontend, workflow and activity tasks, the orders database) works again after a fault.
   */
  long awaitCompletionOfASagaStartedAfter(long nanos, Duration limit) {
    AtomicLong at = new AtomicLong();
    Awaitility.await("saga load '" + phase + "': a saga started after the fault healed completes")
        .atMost(limit)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              OptionalLong first =
                  completions.stream().filter(c -> c[0] >= nanos).mapToLong(c -> c[1]).min();
              Assertions.assertThat(first).as("so far %s", snapshot()).isPresent();
              at.set(first.getAsLong());
            });
    return at.get();
  }

  /**
   * The longest stretch within {@code [from, to]} ({@link System#nanoTime()}) in which no saga
   * completed, in seconds: how long the stream stood still around a fault.
   */
  double longestStall(long from, long to) {
    long[] ends =
        completions.stream()
            .mapToLong(c -> c[1])
            .filter(t -> t > from && t <= to)
            .sorted()
            .toArray();
    long previous = from;
    long longest = 0;
    for (long end : ends) {
      longest = Math.max(longest, end - previous);
      previous = end;
    }
    return Math.max(longest, to - previous) / 1e9;
  }

  /**
   * Waits until at least {@code count} sagas of this load completed (or fails naming the outcome so
   * far).
   */
  void awaitCompleted(int count, Duration limit) {
    Awaitility.await("saga load '" + phase + "': " + count + " completed")
        .atMost(limit)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                Assertions.assertThat(completed.get())
                    .as("completed so far, %s", snapshot())
                    .isGreaterThanOrEqualTo(count));
  }

  /** Stops starting sagas, waits for every started one to end, and returns the counts. */
  Outcome stop() throws InterruptedException {
    running.set(false);
    starter.join(TimeUnit.MINUTES.toMillis(1));
    if (!slots.tryAcquire(inFlight, OUTCOME_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "saga load '" + phase + "': sagas still running after their timeout: " + snapshot());
    }
    slots.release(inFlight);
    return snapshot();
  }

  private Outcome snapshot() {
    return new Outcome(started.get(), completed.get(), failed.get(), List.copyOf(problems));
  }

  private void keepStarting() {
    int n = 0;
    while (running.get()) {
      try {
        if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      if (!running.get()) {
        slots.release();
        return;
      }
      PlaceOrder order =
          new PlaceOrder(
              orderIdPrefix() + System.currentTimeMillis() + "-" + n++,
              "c-e2e",
              List.of(new OrderLine(SKU, 1, 500)),
              "EUR",
              new PaymentMethod(PaymentMethodType.CARD, "tok_visa_4242"));
      started.incrementAndGet();
      sagas.submit(
          () -> {
            long startedAt = System.nanoTime();
            try {
              WorkflowStub stub = placer.start(order);
              PlacedOrder placed = placer.await(order, stub, OUTCOME_TIMEOUT);
              if (placed.result().map(r -> r.outcome() == OrderOutcome.COMPLETED).orElse(false)) {
                completions.add(new long[] {startedAt, System.nanoTime()});
                completed.incrementAndGet();
              } else {
                failed.incrementAndGet();
                problems.add(placed.describe());
              }
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              problems.add(order.orderId() + ": " + e);
            } finally {
              slots.release();
            }
          });
    }
  }

  @Override
  public void close() {
    running.set(false);
    sagas.shutdownNow();
  }
}
