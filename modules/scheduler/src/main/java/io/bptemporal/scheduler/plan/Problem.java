package io.bptemporal.scheduler.plan;

import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.registry.store.RegistryRow;
import java.util.Objects;

/**
 * One thing wrong with a registry row: where (document path and table column), what, the value
 * found and what would be accepted.
 */
public record Problem(String path, String column, String message, String found, String accepted) {

  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(found, "found");
    Objects.requireNonNull(accepted, "accepted");
  }

  public static Problem of(Violation violation) {
    return new Problem(
        violation.path(),
        RegistryRow.columnOf(violation.path()),
        violation.message(),
        violation.offendingValue(),
        violation.accepted());
  }

  /**
   * {@code $.trigger.cron[0] (column trigger): hour field '24' ... (found "0 24 * * *"; accepted:
   * ...)}.
   */
  @Override
  public String toString() {
    return path
        + " (column "
        + column
        + "): "
        + message
        + " (found "
        + found
        + "; accepted: "
        + accepted
        + ")";
  }
}
