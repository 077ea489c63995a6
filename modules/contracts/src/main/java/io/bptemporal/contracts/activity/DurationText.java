package io.bptemporal.contracts.activity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in contracts are written the way Go, the Temporal CLI and Helm values write them:
 * integer hours, minutes and seconds, in that order, each optional — {@code 90s}, {@code 5m},
 * {@code 1h30m}, {@code 0s}. ISO-8601 ({@code PT5M}), days ({@code 1d}) and fractions are not
 * accepted: one spelling per value keeps registry rows comparable, and a day is not always 24 hours
 * in a time zone with DST. {@link #format(Duration)} writes the canonical spelling ({@code 90m} is
 * written {@code 1h30m}).
 */
public final class DurationText {

  public static final String ACCEPTED =
      "a duration of integer hours, minutes and seconds in that order,"
          + " e.g. 90s, 5m, 1h30m, 0s (not ISO-8601 like PT5M, no days: write 24h)";

  /** The same pattern as {@code $defs/duration} in the schemas. */
  public static final String REGEX = "^(?=[0-9])([0-9]{1,9}h)?([0-9]{1,9}m)?([0-9]{1,9}s)?$";

  private static final Pattern FORMAT =
      Pattern.compile("(?:([0-9]{1,9})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,9})s)?");

  private DurationText() {}

  public static Optional<Duration> tryParse(String text) {
    if (text == null || text.isEmpty() || !Character.isDigit(text.charAt(0))) {
      return Optional.empty();
    }
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    Duration duration = Duration.ZERO;
    if (matcher.group(1) != null) {
      duration = duration.plusHours(Long.parseLong(matcher.group(1)));
    }
    if (matcher.group(2) != null) {
      duration = duration.plusMinutes(Long.parseLong(matcher.group(2)));
    }
    if (matcher.group(3) != null) {
      duration = duration.plusSeconds(Long.parseLong(matcher.group(3)));
    }
    return Optional.of(duration);
  }

  public static Duration parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "duration '" + text + "' is not valid; accepted: " + ACCEPTED));
  }

  /** The canonical spelling: {@code 1h30m}, {@code 45s}, {@code 0s}. */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.getNano() != 0) {
      throw new IllegalArgumentException(
          "duration "
              + duration
              + " cannot be written; accepted: whole,"
              + " non-negative seconds");
    }
    if (duration.isZero()) {
      return "0s";
    }
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }

  /** Writes a {@link Duration} component as {@code 1h30m} whatever the mapper's own settings. */
  public static final class Serializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator generator, SerializerProvider serializers)
        throws IOException {
      generator.writeString(format(value));
    }
  }

  /** Reads {@code 1h30m} into a {@link Duration} component. */
  public static final class Deserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        return (Duration) context.handleUnexpectedToken(Duration.class, parser);
      }
      String text = parser.getText();
      Optional<Duration> parsed = tryParse(text);
      if (parsed.isEmpty()) {
        return (Duration) context.handleWeirdStringValue(Duration.class, text, ACCEPTED);
      }
      return parsed.get();
    }
  }
}
