package io.bptemporal.pipeline.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.pipeline.source.SourceRecord;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules' fast paths (a scan before the whitespace regex, yyyy-mm-dd read directly) give what
 * the general code they stand in for gives, value by value.
 */
class FieldRulesFastPathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-06",
        "2024-02-29",
        "0000-01-01",
        "9999-12-31",
        "1990-01-01",
        "2023-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-1-01",
        "20261-01-01",
        "2026/12/06",
        "2026-12-0x",
        "+2026-12-06",
        "-0001-01-01",
        "+12026-01-01",
        "2026-12-06 ",
        "",
        "١٢٣٤-01-01"
      })
  void isoDateReadsWhatLocalDateParseReads(String text) {
    LocalDate expected;
    try {
      expected = LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      assertThatThrownBy(() -> FieldRules.isoDate(text))
          .as("LocalDate.parse refuses '%s'", text)
          .isInstanceOf(DateTimeParseException.class);
      return;
    }
    assertThat(FieldRules.isoDate(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Ada Lovelace",
        "Ada  Lovelace",
        "Ada\tLovelace",
        "Ada \t Lovelace",
        "Ada\nLovelace",
        "Ada\u000BLovelace",
        "Ada\fLovelace",
        "Ada\rLovelace",
        "Ada Byron King",
        "Ada",
        "A B",
        "A  ",
        "Ada\u00A0Lovelace",
        "Ada\u2003 Lovelace",
        "  Ada  "
      })
  void collapseWhitespaceIsTheRegexReplacement(String name) {
    Rule rule = FieldRules.collapseWhitespace("name");
    Map<String, Object> fields = new HashMap<>();
    fields.put("name", name);
    WorkingRecord record =
        new WorkingRecord("test-v1", SourceRecord.parsed(0, "test:1", name, fields), 1);
    rule.apply(record);
    assertThat(record.get("name"))
        .isEqualTo(Pattern.compile("\\s+").matcher(name.strip()).replaceAll(" "));
    assertThat(record.violations()).isEqualTo(List.of());
  }
}
