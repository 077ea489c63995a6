package io.bptemporal.pipeline.etl;

import io.bptemporal.pipeline.load.PartitionCheckpoint;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeats of a running activity: after every batch, and from a keep-alive thread every {@value
 * #KEEP_ALIVE_SECONDS} s while one slow step runs (skipping to a far offset, counting a large file,
 * a slow query), so the heartbeat timeout can stay short enough to notice a dead worker quickly.
 * The SDK throttles what it actually sends; calling often is cheap.
 */
final class ActivityHeartbeat implements Heartbeat, AutoCloseable {
  static final long KEEP_ALIVE_SECONDS = 2;

  private final ActivityExecutionContext context;
  private final Object lock = new Object();
  private final AtomicReference<ActivityCompletionException> stop = new AtomicReference<>();
  private final Thread keepAlive;
  private final Optional<PartitionCheckpoint> previousAttempt;
  private volatile PartitionCheckpoint latest;
  private volatile long lastBeatNanos = System.nanoTime();

  ActivityHeartbeat(ActivityExecutionContext context) {
    this.context = context;
    // Read before the first beat of this attempt, and kept as what the keep-alive re-sends until
    // the loader has a
    // checkpoint of its own: a keep-alive beat must never replace the previous attempt's checkpoint
    // with nothing.
    this.previousAttempt = context.getHeartbeatDetails(PartitionCheckpoint.class);
    this.latest = previousAttempt.orElse(null);
    this.keepAlive =
        Thread.ofPlatform()
            .daemon()
            .name("heartbeat-" + context.getInfo().getActivityId())
            .unstarted(this::keepAlive);
    keepAlive.start();
  }

  @Override
  public Optional<PartitionCheckpoint> lastDetails() {
    return previousAttempt;
  }

  @Override
  public void beat(PartitionCheckpoint checkpoint) {
    ActivityCompletionException stopped = stop.get();
    if (stopped != null) {
      throw stopped;
    }
    latest = checkpoint;
    send(checkpoint);
  }

  private void send(PartitionCheckpoint checkpoint) {
    synchronized (lock) {
      context.heartbeat(checkpoint);
      lastBeatNanos = System.nanoTime();
    }
  }

  private void keepAlive() {
    Duration every = Duration.ofSeconds(KEEP_ALIVE_SECONDS);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      if (System.nanoTime() - lastBeatNanos < every.toNanos()) {
        continue;
      }
      try {
        send(latest);
      } catch (ActivityCompletionException e) {
        // Reported to the loader at its next beat: it stops between batches.
        stop.set(e);
        return;
      } catch (RuntimeException e) {
        // A failed keep-alive must not kill the activity; the next batch's beat reports real
        // trouble.
      }
    }
  }

  @Override
  public void close() {
    keepAlive.interrupt();
  }
}
