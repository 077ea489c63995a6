package io.bptemporal.contracts.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {

  @Test
  void readsEachFieldAsTheTemporalServerDoes() {
    CronExpression cron = CronExpression.parse("*/15 9-17/4 1,15 JAN-mar mon-FRI");
    assertThat(cron.minutes()).containsExactly(0, 15, 30, 45);
    assertThat(cron.hours()).containsExactly(9, 13, 17);
    assertThat(cron.daysOfMonth()).containsExactly(1, 15);
    assertThat(cron.months()).containsExactly(1, 2, 3);
    assertThat(cron.daysOfWeek()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void singleValueWithStepRunsToTheEndOfTheRange() {
    // Temporal reads "5/20" as 5, 25, 45 — from 5 to the field's maximum.
    assertThat(CronExpression.parse("5/20 * * * *").minutes()).containsExactly(5, 25, 45);
  }

  @Test
  void sundayIsZeroOrSeven() {
    assertThat(CronExpression.parse("0 0 * * 7").daysOfWeek()).containsExactly(0);
    assertThat(CronExpression.parse("0 0 * * 5-7").daysOfWeek()).containsExactly(0, 5, 6);
    assertThat(CronExpression.parse("0 0 * * *").daysOfWeek()).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void macrosExpandToTheirFiveFieldForm() {
    assertThat(CronExpression.parse("@hourly").minutes()).containsExactly(0);
    assertThat(CronExpression.parse("@hourly").hours())
        .isEqualTo(IntStream.rangeClosed(0, 23).boxed().toList());
    assertThat(CronExpression.parse("@weekly").daysOfWeek()).containsExactly(0);
    assertThat(CronExpression.parse("@yearly").months()).containsExactly(1);
    assertThat(CronExpression.parse("@annually"))
        .usingRecursiveComparison()
        .ignoringFields("text")
        .isEqualTo(CronExpression.parse("@yearly"));
    assertThat(CronExpression.parse("@midnight").hours()).isEqualTo(List.of(0));
    assertThat(CronExpression.parse("@monthly").daysOfMonth()).containsExactly(1);
    assertThat(CronExpression.parse("@daily").text()).isEqualTo("@daily");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                          | cron expression is empty",
        "'1,,2 * * * *'              | minute field '1,,2': has an empty list element",
        "'1-2-3 * * * *'             | minute field '1-2-3': range '1-2-3' has more than one '-'",
        "'*/x * * * *'               | minute field '*/x': step 'x' is not a whole number",
        "'0 0 L * *'                 | day-of-month field 'L': 'L' is a Quartz extension",
        "'0 0 * * 1#2'               | day-of-week field '1#2': '1#2' is a Quartz extension",
        "'0 0 15W * *'               | day-of-month field '15W': '15W' is a Quartz extension",
        "'0 0 32 * *'                | day-of-month field '32': 32 is out of range 1-31",
        "'0 0 * 13 *'                | month field '13': 13 is out of range 1-12",
        "'0 0 * 0 *'                 | month field '0': 0 is out of range 1-12",
        "'0 0 * * 8'                 | day-of-week field '8': 8 is out of range 0-7",
        "'0 0 * * MONDAY'            | day-of-week field 'MONDAY': 'MONDAY' is not a number or a name (accepted: 0-7 or SUN-SAT)",
        "'x 0 * * *'                 | minute field 'x': 'x' is not a number (accepted: 0-59)",
        "'TZ=UTC 0 0 * * *'          | cron expression has a time zone prefix",
        "'0 0 * * * 2027 extra more' | cron expression has 8 field(s), expected 5",
      })
  void refusesWhatTemporalWouldNotAcceptWithAPreciseReason(String expression, String message) {
    assertThatThrownBy(() -> CronExpression.parse(expression))
        .isInstanceOf(CronSyntaxException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void calendarFieldsShareTheSyntaxAndAllowSeconds() {
    assertThat(CronField.SECOND.parse("0/20")).containsExactly(0, 20, 40);
    assertThat(CronField.MONTH.range()).isEqualTo("1-12 or JAN-DEC");
    assertThat(CronField.DAY_OF_WEEK.range()).isEqualTo("0-7 or SUN-SAT");
    assertThatThrownBy(() -> CronField.HOUR.parse(""))
        .hasMessage("hour field '': is empty (accepted: 0-23)");
  }
}
