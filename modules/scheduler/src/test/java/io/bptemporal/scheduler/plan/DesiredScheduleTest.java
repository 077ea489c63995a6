package io.bptemporal.scheduler.plan;

import static io.bptemporal.scheduler.plan.TestRows.definition;
import static io.bptemporal.scheduler.plan.TestRows.desired;
import static io.bptemporal.scheduler.plan.TestRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DesiredScheduleTest {

  @Test
  void identityIsTheActivityId() {
    DesiredSchedule d = desired(row("nightly-export"));
    assertThat(d.scheduleId()).isEqualTo("nightly-export");
    assertThat(d.workflowIdBase()).isEqualTo("nightly-export");
  }

  @Test
  void aRunActivityGetsARequestNamingItsRowOtherWorkflowsGetTheRowsInput() {
    DesiredSchedule runActivity =
        desired(
            row(
                "tick",
                "{\"namespace\": \"pipelines\", \"workflow_type\":"
                    + " \"RunActivityWorkflow\", \"task_queue\": \"activities-tq\", \"input\": {\"kind\": \"demo\"}}"));
    assertThat(runActivity.argument().toString()).isEqualTo("{\"activity_id\":\"tick\"}");
    assertThat(desired(row("job", "{\"input\": {\"days\": 1}}")).argument().toString())
        .isEqualTo("{\"days\":1}");
  }

  @Test
  void theSpecHashCoversWhatTheScheduleIsMadeOfAndNothingElse() {
    String base = desired(row("a")).specHash();
    assertThat(base).matches("sha256:[0-9a-f]{64}");
    assertThat(
            desired(
                    row(
                        "a",
                        "{\"owner\": \"someone-else\", \"description\": \"x\", \"notes\": \"y\","
                            + " \"version\": 7}"))
                .specHash())
        .as("owner, description, notes, version")
        .isEqualTo(base);
    assertThat(desired(row("a", "{\"paused\": true}")).specHash())
        .as("paused is compared on its own")
        .isEqualTo(base);
    assertThat(
            desired(row("a", "{\"trigger\": {\"time_zone\": \"UTC\", \"cron\": [\"0 2 * * *\"]}}"))
                .specHash())
        .as("the same trigger spelled with another key order and an explicit default")
        .isEqualTo(base);
    assertThat(desired(row("a", "{\"trigger\": {\"cron\": [\"0 3 * * *\"]}}")).specHash())
        .isNotEqualTo(base);
    assertThat(desired(row("a", "{\"input\": {\"x\": 1}}")).specHash()).isNotEqualTo(base);
    assertThat(desired(row("a", "{\"policies\": {\"pause_on_failure\": true}}")).specHash())
        .isNotEqualTo(base);
    assertThat(
            desired(
                    row(
                        "a",
                        "{\"trigger\": {\"cron\": [\"0 2 * * *\"], \"event_types\": [\"order.placed\"]}}"))
                .specHash())
        .as("event types are not part of a schedule")
        .isEqualTo(base);
  }

  @Test
  void aTriggerOfEventsOnlyNeedsNoSchedule() {
    assertThat(
            DesiredSchedule.of(
                definition(row("a", "{\"trigger\": {\"event_types\": [\"order.placed\"]}}"))))
        .isEmpty();
  }

  @Test
  void theSourceDocumentSpellsTheTriggerLikeTheRow() {
    var source =
        desired(
                row(
                    "a",
                    "{\"trigger\": {\"cron\": [\"0 2 * * *\"], \"jitter\": \"90s\","
                        + " \"start_at\": \"2027-01-01T00:00:00Z\"}}"))
            .source();
    assertThat(source.path("trigger").path("start_at").asText()).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(source.path("trigger").path("jitter").asText()).isEqualTo("1m30s");
    assertThat(source.path("trigger").has("event_types")).isFalse();
    assertThat(source.path("temporal").path("catchup_window").asText()).isEqualTo("1h");
  }
}
