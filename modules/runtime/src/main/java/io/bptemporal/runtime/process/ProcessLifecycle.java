package io.bptemporal.runtime.process;

import io.bptemporal.observability.Telemetry;
import io.bptemporal.observability.TelemetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one life of a platform process, shared by the workers ({@code WorkerProcess}) and the
 * scheduler:
 *
 * <ol>
 *   <li>telemetry first, so start-up problems are logged and {@code /healthz} answers (readiness
 *       stays false until the process registers its checks, once it can serve);
 *   <li>the process's resources, each handed to {@link #closeOnExit} as it is made;
 *   <li>SIGTERM or SIGINT asks for a graceful stop: the {@link #onStop} actions run, the main
 *       thread, blocked in {@link #awaitStop()}, finishes its work and returns, and the process
 *       exits 0. A second signal runs the {@link #onStopNow} actions (stop without waiting for work
 *       in flight);
 *   <li>{@link #close()}: the resources in reverse order, telemetry last. A resource that fails to
 *       close is logged and the rest still close: a management endpoint left running would keep a
 *       dead process alive.
 * </ol>
 */
public final class ProcessLifecycle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

  private final Telemetry telemetry;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Runnable> onStop = new ArrayList<>();
  private final List<Runnable> onStopNow = new ArrayList<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);

  private ProcessLifecycle(Telemetry telemetry) {
    this.telemetry = telemetry;
  }

  /** Starts telemetry (logging, metrics, tracing, the management endpoint). */
  public static ProcessLifecycle start(TelemetryConfig config) {
    return new ProcessLifecycle(Telemetry.start(config));
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  /**
   * Closes {@code resource} when the process ends, before what was registered earlier; returns it.
   */
  public synchronized <T extends AutoCloseable> T closeOnExit(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Runs {@code action} when a stop is requested (at once if it was already). */
  public void onStop(Runnable action) {
    synchronized (this) {
      if (!stopRequested()) {
        onStop.add(action);
        return;
      }
    }
    action.run();
  }

  /** Runs {@code action} on a second stop signal: stop without waiting for work in flight. */
  public synchronized void onStopNow(Runnable action) {
    onStopNow.add(action);
  }

  @SuppressWarnings("restriction")
  public void installSignalHandlers() {
    // sun.misc.Signal instead of a shutdown hook: the graceful stop runs on the main thread and the
    // process then
    // exits 0 (a hook would end with 143), and a second signal does not race a half-closed JVM.
    for (String name : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          signal -> {
            if (stopRequested()) {
              log.warn("second SIG{}: stopping without waiting for work in flight", name);
              actions(onStopNow).forEach(Runnable::run);
            }
            requestStop();
          });
    }
  }

  /** Same as SIGTERM (tests and embedding code). */
  public void requestStop() {
    List<Runnable> actions;
    synchronized (this) {
      if (stopRequested()) {
        return;
      }
      stopRequested.countDown();
      actions = List.copyOf(onStop);
    }
    actions.forEach(Runnable::run);
  }

  public boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /** Blocks until a stop is requested. */
  public void awaitStop() throws InterruptedException {
    stopRequested.await();
  }

  /** Waits at most {@code timeout}; true when a stop was requested. */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = List.copyOf(resources);
      resources.clear();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", toClose.get(i), e.toString());
      }
    }
    telemetry.close();
  }

  private synchronized List<Runnable> actions(List<Runnable> list) {
    return List.copyOf(list);
  }
}
