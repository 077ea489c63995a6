package io.bptemporal.contracts.validation;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code schema_version} of a versioned document, {@code MAJOR.MINOR}.
 *
 * <p>Rule: a reader accepts every minor version of the major versions it knows — a minor version
 * only adds optional fields, which an older reader ignores. A document of an unknown major version
 * is rejected as a whole, because its fields may mean something else.
 */
public record SchemaVersion(int major, int minor) {

  /** The version this library writes and fully understands. */
  public static final SchemaVersion CURRENT = new SchemaVersion(1, 0);

  public static final String ACCEPTED =
      "MAJOR.MINOR with major version "
          + CURRENT.major()
          + " (any minor version 1.x is read), e.g. \""
          + CURRENT
          + "\"";

  private static final Pattern FORMAT =
      Pattern.compile("(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})");

  public SchemaVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException(
          "schema version parts must not be negative: " + major + "." + minor);
    }
  }

  public static Optional<SchemaVersion> parse(String text) {
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new SchemaVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
  }

  public boolean readable() {
    return major == CURRENT.major();
  }

  /** A newer minor version than this library knows: its extra fields are ignored, not rejected. */
  public boolean newerMinor() {
    return major == CURRENT.major() && minor > CURRENT.minor();
  }

  /** The violation message for a version whose major this reader does not know. */
  public String unknownMajorMessage() {
    return "has major version "
        + major
        + ", which this reader does not understand (it reads major version "
        + CURRENT.major()
        + ")";
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
