package io.bptemporal.contracts.activity;

import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/**
 * Time zones of schedules are IANA names, as the Temporal server (Go's tz database) reads them.
 * Fixed offsets ({@code +02:00}) are refused: a schedule in an offset silently shifts by an hour at
 * every DST change of the place it was meant for.
 */
public final class TimeZones {

  public static final String ACCEPTED =
      "an IANA time zone name, e.g. UTC, Europe/Berlin, America/New_York"
          + " (fixed offsets like +02:00 are not accepted)";

  private static final Set<String> IANA = ZoneId.getAvailableZoneIds();

  private TimeZones() {}

  public static boolean isIana(String name) {
    return IANA.contains(name);
  }

  /** The correctly capitalised name when only the case is wrong ({@code europe/berlin}). */
  public static Optional<String> suggestion(String name) {
    return IANA.stream().filter(zone -> zone.equalsIgnoreCase(name)).findFirst();
  }
}
