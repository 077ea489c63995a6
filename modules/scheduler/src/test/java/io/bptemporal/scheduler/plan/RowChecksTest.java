package io.bptemporal.scheduler.plan;

import static io.bptemporal.scheduler.plan.TestRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowChecksTest {
  private final RowChecks checks =
      new RowChecks(
          Set.of("ns", "pipelines", "ghost"),
          Optional.of(Set.of("Probe", "RunActivityWorkflow", "DataPipelineWorkflow")));
  private final Set<String> existing = Set.of("ns", "pipelines");

  private String message(String extra) {
    RowVerdict verdict = checks.check(row("r", extra), existing);
    assertThat(verdict).isInstanceOf(RowVerdict.Invalid.class);
    return ((RowVerdict.Invalid) verdict).message();
  }

  @Test
  void aValidRowIsValid() {
    assertThat(checks.check(row("r"), existing)).isInstanceOf(RowVerdict.Valid.class);
  }

  @Test
  void everyProblemOfARowIsInOneMessageWithPathColumnFoundAndAccepted() {
    String message =
        message(
            "{\"trigger\": {\"cron\": [\"0 24 * * *\"], \"time_zone\": \"Mars/Olympus\"},"
                + " \"policies\": {\"overlap\": \"NEVER\"}}");
    assertThat(message)
        .startsWith("row 'r' (version 1) is invalid, 3 problems: ")
        .contains(
            "$.policies.overlap (column overlap_policy): is not one of the accepted values (found \"NEVER\";"
                + " accepted: one of SKIP, BUFFER_ONE, BUFFER_ALL, CANCEL_OTHER, TERMINATE_OTHER, ALLOW_ALL)")
        .contains("$.trigger.cron[0] (column trigger): hour field '24'")
        .contains(
            "$.trigger.time_zone (column trigger): is not an IANA time zone (found \"Mars/Olympus\"");
  }

  @Test
  void namespacesMustBeManagedAndExist() {
    assertThat(message("{\"namespace\": \"orders\"}"))
        .contains(
            "$.namespace (column namespace): is not a namespace"
                + " this scheduler manages (found \"orders\"; accepted: one of [ghost, ns, pipelines] (SCHEDULER_NAMESPACES))");
    assertThat(message("{\"namespace\": \"ghost\"}"))
        .contains(
            "does not exist on the Temporal server (found \"ghost\";"
                + " accepted: a registered namespace: [ns, pipelines])");
  }

  @Test
  void workflowTypesMustBeAllowedAndPlatformTypesRunWhereTheirWorkersPoll() {
    assertThat(message("{\"workflow_type\": \"Other\"}"))
        .contains(
            "$.workflow_type (column workflow_type): is not a"
                + " workflow type the platform runs");
    assertThat(message("{\"workflow_type\": \"RunActivityWorkflow\"}"))
        .contains(
            "$.namespace (column namespace): is not where RunActivityWorkflow runs: its workers poll namespace pipelines")
        .contains("$.task_queue (column task_queue): is not where RunActivityWorkflow runs");
    assertThat(
            new RowChecks(Set.of("ns"), Optional.empty())
                .check(row("r", "{\"workflow_type\": \"Anything\"}"), Set.of("ns")))
        .as("SCHEDULER_WORKFLOW_TYPES=*")
        .isInstanceOf(RowVerdict.Valid.class);
  }

  @Test
  void theInputOfAPipelineMustBeAPipelineRequest() {
    assertThat(
            message(
                "{\"namespace\": \"pipelines\", \"task_queue\": \"pipelines-tq\", \"workflow_type\":"
                    + " \"DataPipelineWorkflow\", \"input\": {\"pipeline_id\": \"p\"}}"))
        .contains("$.input.source (column input): is required (input contract pipeline-request)");
  }

  @Test
  void compressNeedsRunActivity() {
    assertThat(message("{\"policies\": {\"missed_run\": \"COMPRESS\"}}"))
        .contains(
            "$.policies.missed_run (column"
                + " missed_run_policy): COMPRESS needs workflow_type RunActivityWorkflow");
    assertThat(
            checks.check(
                row(
                    "r",
                    "{\"namespace\": \"pipelines\", \"task_queue\": \"activities-tq\","
                        + " \"workflow_type\": \"RunActivityWorkflow\", \"policies\": {\"missed_run\": \"COMPRESS\"}}"),
                existing))
        .isInstanceOf(RowVerdict.Valid.class);
  }

  @Test
  void runActivityTaskRulesAreReadAtPlanTimeWithTheirPaths() {
    String runActivity =
        "{\"namespace\": \"pipelines\", \"task_queue\": \"activities-tq\", \"workflow_type\":"
            + " \"RunActivityWorkflow\", \"input\": ";
    assertThat(
            message(
                runActivity
                    + "{\"tasks\": [{\"kind\": \"export.partition\", \"for_each\": \"fact.regions\"},"
                    + " {\"kind\": \"export.summary\", \"count\": 2, \"for_each\": \"facts.regions\"}]}}"))
        .startsWith("row 'r' (version 1) is invalid, 2 problems: ")
        .contains(
            "$.input.tasks[0].for_each (column input): task rule path 'fact.regions' starts at 'fact', which the"
                + " run's context does not have (found \"fact.regions\"; accepted: a path starting at one of [activity,"
                + " facts, index, input, item, run])")
        .contains("$.input.tasks[1] (column input): task rule has both for_each and count");
    assertThat(
            checks.check(
                row(
                    "r",
                    runActivity
                        + "{\"tasks\": [{\"kind\": \"export.partition\","
                        + " \"for_each\": \"facts.regions\", \"payload\": {\"region\": \"${item}\"}}]}}"),
                existing))
        .isInstanceOf(RowVerdict.Valid.class);
  }
}
