package io.bptemporal.observability;

import java.util.List;

/** Start-up configuration a process cannot run with; the message lists every problem, one per line. */
public final class InvalidConfigurationException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidConfigurationException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem names its variable, the value found and what is accepted. */
  public List<String> problems() {
    return problems;
  }
}
