package io.bptemporal.scheduler.plan;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.registry.store.RegistryRow;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the checks made of one registry row: a definition to apply, or the problems that stop it.
 */
public sealed interface RowVerdict {

  RegistryRow row();

  /** The row passed every check. */
  record Valid(RegistryRow row, ActivityDefinition definition) implements RowVerdict {}

  /** The row breaks at least one rule; {@link #message()} lists every problem. */
  record Invalid(RegistryRow row, List<Problem> problems) implements RowVerdict {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid row needs at least one problem");
      }
    }

    /**
     * One line per status message: the row, the count, then each problem with path, column, value,
     * accepted.
     */
    public String message() {
      return "row '"
          + row.activityId()
          + "' (version "
          + row.version()
          + ") is invalid, "
          + problems.size()
          + (problems.size() == 1 ? " problem: " : " problems: ")
          + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
  }
}
