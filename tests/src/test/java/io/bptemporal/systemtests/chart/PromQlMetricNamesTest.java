package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

  @Test
  void keepsMetricNamesAndDropsFunctionsLabelsAndGrouping() {
    assertThat(
            PromQlMetricNames.in(
                "histogram_quantile(0.95, sum by (le, task_queue) (rate(temporal_activity_schedule_to_start_latency_seconds_bucket{namespace=\"orders\"}[5m])))"))
        .containsExactly("temporal_activity_schedule_to_start_latency_seconds_bucket");
  }

  @Test
  void findsEveryOperandOfABinaryExpression() {
    assertThat(
            PromQlMetricNames.in(
                "sum(rate(a_total[5m])) / on (job) group_left (pod) (sum(rate(b_total[5m])) + c) > bool 0.05"))
        .containsExactly("a_total", "b_total", "c");
  }

  @Test
  void ignoresStringsVariablesDurationsAndNumbers() {
    assertThat(
            PromQlMetricNames.in(
                "label_replace(up_metric, \"dst\", \"$1\", \"src\", \"(.*)\") offset 5m * 1e-3"))
        .containsExactly("up_metric");
    assertThat(
            PromQlMetricNames.in(
                "sum by (outcome) (rate(bp_pipeline_rows_total{outcome=~\"a|b\"}[$__rate_interval]))"))
        .containsExactly("bp_pipeline_rows_total");
  }

  @Test
  void aggregationWithTrailingGroupingIsNotAMetric() {
    assertThat(PromQlMetricNames.in("max(x) without (instance) unless y"))
        .containsExactly("x", "y");
  }

  @Test
  void collectsGroupingAndMatcherLabels() {
    assertThat(
            PromQlMetricNames.labelsIn(
                "sum by (le, task_queue) (rate(a_bucket{outcome=~\"q|x\", pod!=\"p\"}[5m])) / on (job) b"))
        .containsExactlyInAnyOrder("outcome", "pod", "le", "task_queue", "job");
  }
}
