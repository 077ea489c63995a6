package io.bptemporal.observability.logging;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code LOG_FORMAT}: JSON lines for log collectors in containers, a readable layout for
 * development.
 */
public enum LogFormat {
  JSON,
  TEXT;

  public static Optional<LogFormat> parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "json" -> Optional.of(JSON);
      case "text" -> Optional.of(TEXT);
      default -> Optional.empty();
    };
  }
}
