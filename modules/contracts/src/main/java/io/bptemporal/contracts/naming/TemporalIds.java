package io.bptemporal.contracts.naming;

import java.util.regex.Pattern;

/**
 * The characters and length every workflow ID, schedule ID and run key produced by this platform
 * keeps to.
 *
 * <p>Temporal itself accepts any UTF-8 string up to {@code limit.maxIDLength} bytes (255 on SQL
 * persistence, the server's default). The platform is stricter — ASCII letters, digits and {@code .
 * _ : -} — so that an ID needs no escaping in a Web UI URL, a visibility query, a log line or a
 * metric label, and its length in characters equals its length in bytes.
 */
public final class TemporalIds {

  /** {@code limit.maxIDLength} of a Temporal server on SQL persistence. */
  public static final int MAX_LENGTH = 255;

  public static final String ACCEPTED = "1-" + MAX_LENGTH + " characters from A-Z a-z 0-9 . _ : -";

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private TemporalIds() {}

  public static boolean isValid(String id) {
    return id != null && ALLOWED.matcher(id).matches();
  }

  /** Returns the ID, or throws an exception naming what it is, the ID and what is accepted. */
  public static String check(String what, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + id
              + "' is not a valid Temporal ID"
              + (id != null && id.length() > MAX_LENGTH ? " (" + id.length() + " characters)" : "")
              + "; accepted: "
              + ACCEPTED);
    }
    return id;
  }
}
