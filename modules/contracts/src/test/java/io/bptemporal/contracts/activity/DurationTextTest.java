package io.bptemporal.contracts.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
    "0s, PT0S, 0s",
    "90s, PT1M30S, 1m30s",
    "5m, PT5M, 5m",
    "90m, PT1H30M, 1h30m",
    "1h30m, PT1H30M, 1h30m",
    "24h, PT24H, 24h",
    "1h0m5s, PT1H0M5S, 1h5s",
    "8760h, PT8760H, 8760h",
  })
  void readsGoStyleAndWritesTheCanonicalSpelling(String text, Duration expected, String canonical) {
    assertThat(DurationText.parse(text)).isEqualTo(expected);
    assertThat(DurationText.format(expected)).isEqualTo(canonical);
    assertThat(DurationText.parse(canonical)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5", "PT5M", "1d", "5m1h", "1.5h", "-5m", "5 m", "m", "1h 30m", "5ms", "5M"})
  void refusesEverythingElseSayingWhatIsAccepted(String text) {
    assertThat(DurationText.tryParse(text)).isEmpty();
    assertThat(text).doesNotMatch(DurationText.REGEX.substring(1, DurationText.REGEX.length() - 1));
    assertThatThrownBy(() -> DurationText.parse(text))
        .hasMessage("duration '" + text + "' is not valid; accepted: " + DurationText.ACCEPTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.5S", "PT-1S"})
  void cannotWriteFractionsOrNegativeDurations(Duration duration) {
    assertThatThrownBy(() -> DurationText.format(duration))
        .hasMessageContaining("whole, non-negative seconds");
  }
}
