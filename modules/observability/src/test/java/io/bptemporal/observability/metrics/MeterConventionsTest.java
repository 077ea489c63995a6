package io.bptemporal.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the shared module promises a process declaring its own meters: names, first-use
 * registration, buckets.
 */
class MeterConventionsTest {
  private final ProcessMetrics metrics =
      ProcessMetrics.start(Tags.of("service", "conventions-test"));

  enum Colour implements MetricLabel {
    RED,
    DARK_BLUE;

    @Override
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aCounterFamilyAppearsOnFirstUseWithEveryLabelValueAtZero() {
    CounterFamily<Colour> family =
        CounterFamily.of(
            metrics.registry(), "bp_test_colours_total", "colours seen", "colour", Colour.class);
    assertThat(metrics.scrape()).doesNotContain("bp_test_colours_total");

    family.add(Colour.RED, 2);

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("bp_test_colours_total{colour=\"red\",service=\"conventions-test\"} 2.0");
    assertThat(scrape)
        .contains("bp_test_colours_total{colour=\"dark_blue\",service=\"conventions-test\"} 0.0");
  }

  @Test
  void gaugesKeepTheLastValue() {
    LongGauge gauge = LongGauge.of(metrics.registry(), "bp_test_things", "things");
    gauge.set(5);
    gauge.set(1);

    assertThat(metrics.scrape()).contains("bp_test_things{service=\"conventions-test\"} 1.0");
  }

  @Test
  void aDurationIsAHistogramInSecondsWithTheFixedBuckets() {
    DurationHistogram.of(metrics.registry(), "bp_test_pass_seconds", "a pass")
        .record(Duration.ofMillis(300));

    assertThat(metrics.scrape())
        .contains("# TYPE bp_test_pass_seconds histogram")
        .contains("bp_test_pass_seconds_bucket{service=\"conventions-test\",le=\"0.25\"} 0")
        .contains("bp_test_pass_seconds_bucket{service=\"conventions-test\",le=\"0.5\"} 1");
  }

  @Test
  void namesOutsideTheConventionsAreRefusedAtDeclaration() {
    var registry = metrics.registry();
    assertThatThrownBy(
            () -> CounterFamily.of(registry, "bp_test_colours", "d", "colour", Colour.class))
        .hasMessage("counter bp_test_colours must end in _total");
    assertThatThrownBy(
            () -> CounterFamily.of(registry, "test_colours_total", "d", "colour", Colour.class))
        .hasMessageContaining("prefix bp_");
    assertThatThrownBy(
            () -> CounterFamily.of(registry, "bp_test_colours_total", "d", "Colour", Colour.class))
        .hasMessageContaining("not snake_case");
    assertThatThrownBy(() -> DurationHistogram.of(registry, "bp_test_pass_ms", "d"))
        .hasMessage("timer bp_test_pass_ms must end in _seconds");
    assertThatThrownBy(() -> LongGauge.of(registry, "bp_test_things_total", "d"))
        .hasMessageContaining("must not end in _total");
  }

  @Test
  void negativeCountsAreProgrammingErrors() {
    var registry = metrics.registry();
    assertThatThrownBy(
            () ->
                CounterFamily.of(registry, "bp_test_colours_total", "d", "colour", Colour.class)
                    .add(Colour.RED, -1))
        .hasMessage("bp_test_colours_total: count must not be negative, got -1");
    assertThatThrownBy(
            () ->
                DurationHistogram.of(registry, "bp_test_pass_seconds", "d")
                    .record(Duration.ofMillis(-1)))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> LongGauge.of(registry, "bp_test_things", "d").set(-1))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void aWorkflowCounterTakesOnlyFixedLabelValues() throws Exception {
    assertThatThrownBy(
            () ->
                WorkflowMetrics.increment(
                    metrics.temporalScope(), "bp_test_steps_total", "step", "order-4711/Refund"))
        .hasMessageContaining("is not accepted as the value of label step");

    WorkflowMetrics.increment(
        metrics.temporalScope(), "bp_test_steps_total", "step", "refund-payment");
    metrics
        .temporalScope()
        .close(); // reports what the scope holds now instead of within the next second

    assertThat(metrics.scrape())
        .contains("bp_test_steps_total{service=\"conventions-test\",step=\"refund-payment\"} 1.0");
  }
}
