package io.bptemporal.observability.logging;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code LOG_LEVEL}: the root level; the names are Logback's. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  OFF;

  public static Optional<LogLevel> parse(String value) {
    String upper = value.strip().toUpperCase(Locale.ROOT);
    // WARNING is what Python and java.util.logging users type; accept it rather than fail the
    // start.
    if (upper.equals("WARNING")) {
      return Optional.of(WARN);
    }
    return Arrays.stream(values()).filter(l -> l.name().equals(upper)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
