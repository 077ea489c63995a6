package io.bptemporal.observability.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of environment variables that collect every problem instead of stopping at the first,
 * so an operator fixes a broken Deployment in one round. Call {@link #validate()} after the last
 * read. Each problem names the variable, the offending value and what is accepted.
 */
public final class Environment {
  private final Function<String, String> source;
  private final List<String> problems = new ArrayList<>();

  private Environment(Function<String, String> source) {
    this.source = source;
  }

  public static Environment of(Function<String, String> source) {
    return new Environment(source);
  }

  public static Environment system() {
    return new Environment(System::getenv);
  }

  public Optional<String> optional(String name) {
    String value = source.apply(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  public String string(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  /** A value without a sensible default; {@code what} tells the operator what to put there. */
  public String required(String name, String what) {
    return optional(name)
        .orElseGet(
            () -> {
              problems.add(name + " is not set: " + what);
              return "";
            });
  }

  public int integer(String name, int fallback, int min, int max) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    problems.add(
        name
            + "='"
            + value.get()
            + "' is not accepted: use a whole number from "
            + min
            + " to "
            + max);
    return fallback;
  }

  public boolean bool(String name, boolean fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> {
        problems.add(name + "='" + value.get() + "' is not accepted: use true or false");
        yield fallback;
      }
    };
  }

  /** Whole seconds, as in {@code SHUTDOWN_GRACE_SECONDS=30}. */
  public Duration seconds(String name, Duration fallback, Duration max) {
    return Duration.ofSeconds(integer(name, (int) fallback.toSeconds(), 0, (int) max.toSeconds()));
  }

  /** One of {@code accepted} (case-insensitive), returned in the accepted spelling. */
  public String oneOf(String name, String fallback, List<String> accepted) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return accepted.stream()
        .filter(a -> a.equalsIgnoreCase(value.get()))
        .findFirst()
        .orElseGet(
            () -> {
              problems.add(name + "='" + value.get() + "' is not accepted: use one of " + accepted);
              return fallback;
            });
  }

  /** A readable file; a path that does not exist or cannot be read is a problem. */
  public Optional<Path> readableFile(String name) {
    return optional(name)
        .map(Path::of)
        .filter(
            path -> {
              if (Files.isRegularFile(path) && Files.isReadable(path)) {
                return true;
              }
              problems.add(name + "='" + path + "' is not a readable file");
              return false;
            });
  }

  /** Lets a settings record add a problem that spans several variables. */
  public void problem(String message) {
    problems.add(message);
  }

  public void validate() {
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /**
   * For a process's main: on problems, prints them (one per line, no stack trace: the operator
   * needs the variable names, not our call stack) and exits with status 2.
   */
  public void validateOrExit(String process) {
    if (!problems.isEmpty()) {
      System.err.println(process + ": " + new ConfigurationException(problems).getMessage());
      System.exit(2);
    }
  }
}
