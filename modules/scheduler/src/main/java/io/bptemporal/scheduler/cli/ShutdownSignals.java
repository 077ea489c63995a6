package io.bptemporal.scheduler.cli;

import java.util.List;

/** SIGTERM and SIGINT ask the service to stop; the main thread then finishes the pass and returns (exit 0). */
final class ShutdownSignals {
  private ShutdownSignals() {
  }

  @SuppressWarnings("restriction")
  static void onTerminate(Runnable stop) {
    // sun.misc.Signal instead of a shutdown hook: the graceful stop runs on the main thread and the process
    // exits 0 afterwards (a hook would end with 143, and would race the half-closed JVM).
    for (String name : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
    }
  }
}
