package io.bptemporal.observability.config;

import java.util.List;

/** The process's environment is not usable; the message lists every problem, one per line. */
public final class ConfigurationException extends RuntimeException {
  private final List<String> problems;

  public ConfigurationException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
