package io.bptemporal.router.route;

import io.bptemporal.registry.routes.RouteProblem;
import io.bptemporal.registry.routes.RouteReader;
import io.bptemporal.registry.routes.RouteTable;
import io.bptemporal.router.metrics.RouterMetrics;
import io.bptemporal.runtime.database.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes the router matches against, kept current without a restart: loaded once before the
 * first record is consumed, then again whenever the registry notifies a change ({@code
 * bp_event_routes_changed}, on a connection of its own that LISTENs, like the scheduler's) and
 * every {@code reloadInterval} as a safety net (a notification sent while the listener was
 * reconnecting is lost). A reload that fails keeps the last table: stale routes are better than
 * none, and records are never consumed against an empty table that was never loaded.
 */
public final class RouteSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteSource.class);

  /** How long one wait for notifications blocks before it looks at the stop flag and the clock. */
  private static final Duration SLICE = Duration.ofMillis(250);

  /** Changes arriving together (several statements of one edit) are loaded once. */
  private static final Duration DEBOUNCE = Duration.ofMillis(100);

  private final RouteReader reader;
  private final DatabaseSettings database;
  private final Duration reloadInterval;
  private final RouterMetrics metrics;
  private final AtomicReference<RouteTable> table = new AtomicReference<>();
  private final AtomicLong reloads = new AtomicLong();
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile Instant lastLoaded = Instant.EPOCH;
  private volatile String lastError = "";
  private Set<String> reportedBroken = Set.of();
  private Thread listener;

  public RouteSource(
      RouteReader reader,
      DatabaseSettings database,
      Duration reloadInterval,
      RouterMetrics metrics) {
    this.reader = reader;
    this.database = database;
    this.reloadInterval = reloadInterval;
    this.metrics = metrics;
  }

  /** The current table; empty until the first load succeeded. */
  public Optional<RouteTable> current() {
    return Optional.ofNullable(table.get());
  }

  /** Loads the routes now; false (logged) when the registry could not be read. */
  public synchronized boolean reload() {
    try {
      RouteTable loaded = reader.table();
      RouteTable previous = table.getAndSet(loaded);
      lastLoaded = Instant.now();
      lastError = "";
      reloads.incrementAndGet();
      metrics.routes(loaded.active().size(), loaded.brokenRoutes());
      reportBroken(loaded);
      if (previous == null || !previous.toString().equals(loaded.toString())) {
        log.info("event routes loaded: {}", loaded);
      } else {
        log.debug("event routes reloaded: {}", loaded);
      }
      return true;
    } catch (RuntimeException e) {
      lastError = e.getMessage();
      log.warn(
          "cannot load the event routes ({}); {}",
          e.getMessage(),
          table.get() == null ? "retrying before consuming" : "keeping the routes loaded before");
      return false;
    }
  }

  /** Each broken route is logged once per distinct problem set, not on every reload. */
  private void reportBroken(RouteTable loaded) {
    Set<String> now = new HashSet<>();
    for (RouteProblem problem : loaded.broken()) {
      now.add(problem.toString());
      if (!reportedBroken.contains(problem.toString())) {
        log.error("skipping broken event route: {}", problem);
      }
    }
    reportedBroken = now;
  }

  /** Loads until it succeeds or stop; true when loaded. */
  public boolean awaitFirstLoad(Duration retry) throws InterruptedException {
    while (!reload()) {
      if (stop.await(retry.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
    return true;
  }

  /** Starts the listener thread (LISTEN plus periodic reload). */
  public synchronized void start() {
    listener = Thread.ofPlatform().daemon().name("route-listener").start(this::listen);
  }

  public long reloads() {
    return reloads.get();
  }

  public Instant lastLoaded() {
    return lastLoaded;
  }

  public String lastError() {
    return lastError;
  }

  private void listen() {
    Duration backoff = Duration.ofSeconds(1);
    while (stop.getCount() > 0) {
      try (Connection c =
          DriverManager.getConnection(database.url(), database.user(), database.password())) {
        try (Statement s = c.createStatement()) {
          s.execute("listen " + RouteReader.changeChannel());
        }
        // A change made while no one listened is caught by loading once now.
        reload();
        backoff = Duration.ofSeconds(1);
        PGConnection pg = c.unwrap(PGConnection.class);
        long next = System.nanoTime() + reloadInterval.toNanos();
        while (stop.getCount() > 0) {
          PGNotification[] notifications = pg.getNotifications((int) SLICE.toMillis());
          if (notifications != null && notifications.length > 0) {
            pg.getNotifications((int) DEBOUNCE.toMillis());
            log.debug("event routes changed ({}): reloading", notifications[0].getParameter());
            reload();
            next = System.nanoTime() + reloadInterval.toNanos();
          } else if (System.nanoTime() >= next) {
            reload();
            next = System.nanoTime() + reloadInterval.toNanos();
          }
        }
      } catch (SQLException e) {
        lastError = e.getMessage();
        log.warn(
            "listening for event route changes failed ({}); reconnecting in {} s",
            e.getMessage(),
            backoff.toSeconds());
        try {
          if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(reloadInterval) > 0
                ? reloadInterval
                : backoff.multipliedBy(2);
      }
    }
  }

  @Override
  public void close() {
    stop.countDown();
    Thread t;
    synchronized (this) {
      t = listener;
    }
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
