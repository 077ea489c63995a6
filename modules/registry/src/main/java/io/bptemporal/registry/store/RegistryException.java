package io.bptemporal.registry.store;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The registry database could not be read or written; the message names the table and the cause.
 */
public final class RegistryException extends RuntimeException {
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** PostgreSQL's SQLSTATE of the cause, when the database answered with one. */
  public Optional<String> sqlState() {
    return getCause() instanceof SQLException e
        ? Optional.ofNullable(e.getSQLState())
        : Optional.empty();
  }

  /**
   * The role was refused (no privilege, SQLSTATE 42501) or could not log in (class 28): waiting
   * does not help, an operator must fix the role. Anything else (the table not migrated yet, the
   * database not reachable) may pass.
   */
  public boolean accessDenied() {
    String state = sqlState().orElse("");
    return state.equals("42501") || state.startsWith("28");
  }
}
