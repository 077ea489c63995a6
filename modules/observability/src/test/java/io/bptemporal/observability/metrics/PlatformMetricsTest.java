package io.bptemporal.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlatformMetricsTest {
  private final ProcessMetrics metrics = ProcessMetrics.start(Tags.of("service", "scheduler"));

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aFamilyAppearsOnFirstUseWithEveryLabelValueAtZero() {
    assertThat(metrics.scrape()).doesNotContain("bp_scheduler_changes_total");

    metrics.platform().schedulerChanges(ScheduleChange.CREATED, 2);

    String scrape = metrics.scrape();
    assertThat(scrape).contains("bp_scheduler_changes_total{change=\"created\",service=\"scheduler\"} 2.0");
    assertThat(scrape).contains("bp_scheduler_changes_total{change=\"unpaused\",service=\"scheduler\"} 0.0");
  }

  @Test
  void gaugesKeepTheLastValue() {
    metrics.platform().schedulerDrift(5);
    metrics.platform().schedulerDrift(1);

    assertThat(metrics.scrape()).contains("bp_scheduler_drift_schedules{service=\"scheduler\"} 1.0");
  }

  @Test
  void reconcileDurationIsAHistogramWithTheFixedBuckets() {
    metrics.platform().schedulerReconcileDuration(Duration.ofMillis(300));

    assertThat(metrics.scrape())
        .contains("# TYPE bp_scheduler_reconcile_duration_seconds histogram")
        .contains("bp_scheduler_reconcile_duration_seconds_bucket{service=\"scheduler\",le=\"0.25\"} 0")
        .contains("bp_scheduler_reconcile_duration_seconds_bucket{service=\"scheduler\",le=\"0.5\"} 1");
  }

  @Test
  void negativeCountsAreProgrammingErrors() {
    assertThatThrownBy(() -> metrics.platform().pipelineRows(PipelineRowOutcome.LOADED, -1))
        .hasMessage("rows must not be negative, got -1");
    assertThatThrownBy(() -> metrics.platform().schedulerReconcileDuration(Duration.ofMillis(-1)))
        .hasMessageContaining("must not be negative");
  }
}
