package io.bptemporal.scheduler.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership among scheduler replicas: a PostgreSQL session-level advisory lock held on one
 * dedicated connection of the registry database. Exactly one session can hold it; the server
 * releases it when that session ends (process killed, connection cut), so a standby can take over
 * without any timeout of ours. The holder checks before every pass that its session still holds the
 * lock, and stops reconciling the moment it does not.
 */
public final class LeaderLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);

  /** "bpschd" as a number: the one advisory lock key of the scheduler in its registry database. */
  public static final long KEY = 0x627073636864L;

  private final DataSource lockPool;
  private Connection connection;
  private boolean held;

  /**
   * @param lockPool a pool of its own (size 1): the lock connection is taken from it and kept, so
   *     that the reconciler's pool never hands the locked session to a query that might end it
   */
  public LeaderLock(DataSource lockPool) {
    this.lockPool = lockPool;
  }

  /**
   * Tries to become the leader; true when this process holds the lock now. Never blocks on the
   * lock.
   */
  public synchronized boolean tryAcquire() {
    if (held && stillHeld()) {
      return true;
    }
    try {
      if (connection == null || connection.isClosed()) {
        connection = lockPool.getConnection();
      }
      try (PreparedStatement ps = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
        ps.setLong(1, KEY);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          held = rs.getBoolean(1);
        }
      }
      return held;
    } catch (SQLException e) {
      log.warn("cannot try the leader lock: {}", e.getMessage());
      drop();
      return false;
    }
  }

  /**
   * Asks the database whether this session holds the lock. A broken connection means it does not:
   * the server ends a dead session and releases its locks, and another replica may already lead.
   */
  public synchronized boolean stillHeld() {
    if (!held || connection == null) {
      return false;
    }
    String sql =
        "select exists (select 1 from pg_locks where locktype = 'advisory' and granted"
            + " and pid = pg_backend_pid() and ((classid::bigint << 32) | objid::bigint) = ? and objsubid = 1)";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setLong(1, KEY);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        held = rs.getBoolean(1);
      }
    } catch (SQLException e) {
      log.warn("lost the leader lock connection: {}", e.getMessage());
      drop();
    }
    return held;
  }

  /**
   * The connection holding the lock, while held (LISTEN runs on it, so a lost lock also ends
   * listening).
   */
  public synchronized Optional<Connection> connection() {
    return held ? Optional.ofNullable(connection) : Optional.empty();
  }

  /** Releases the lock (so a standby takes over at once) and returns the connection. */
  @Override
  public synchronized void close() {
    if (held && connection != null) {
      try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(?)")) {
        ps.setLong(1, KEY);
        ps.execute();
        log.info("released the leader lock");
      } catch (SQLException e) {
        log.warn(
            "cannot release the leader lock (the session's end releases it): {}", e.getMessage());
      }
    }
    drop();
  }

  private void drop() {
    held = false;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the lock connection: {}", e.getMessage());
      }
      connection = null;
    }
  }
}
