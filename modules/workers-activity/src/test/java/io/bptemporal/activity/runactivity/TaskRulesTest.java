package io.bptemporal.activity.runactivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.CreateTasks;
import io.bptemporal.registry.taskrules.PlannedTask;
import io.bptemporal.registry.taskrules.TaskRuleException;
import io.bptemporal.registry.taskrules.TaskRules;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskRulesTest {
  private static final Instant AT = Instant.parse("2026-11-21T02:00:00Z");

  private static ObjectNode context(
      ActivityDefinition definition, Optional<CompressedWindow> window, String facts) {
    CreateTasks run =
        new CreateTasks(
            definition.activityId() + ":2026-11-21T02:00:00Z",
            AT,
            definition,
            Optional.empty(),
            window);
    return RunContext.of(run, Definitions.json(facts)).document();
  }

  private static List<PlannedTask> evaluate(String input, String facts) {
    ActivityDefinition definition = Definitions.definition("nightly-export", 3, input);
    return TaskRules.from(definition.input())
        .evaluate(context(definition, Optional.empty(), facts));
  }

  @Test
  void forEachMakesOneTaskPerElementWithTemplatedPayloads() {
    List<PlannedTask> tasks =
        evaluate(
            """
        {"target": "warehouse", "tasks": [{"kind": "export.partition", "for_each": "facts.regions",
          "payload": {"region": "${item.code}", "weight": "${item.weight}", "label": "${input.target}/${item.code}#${index}",
                      "day": "${run.scheduled_for}"}}]}""",
            """
        {"regions": [{"code": "eu", "weight": 2}, {"code": "us", "weight": 1}]}""");

    assertThat(tasks)
        .extracting(PlannedTask::kind, PlannedTask::ordinal)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("export.partition", 0),
            org.assertj.core.groups.Tuple.tuple("export.partition", 1));
    assertThat(tasks.get(1).payload())
        .isEqualTo(
            Definitions.json(
                """
        {"region": "us", "weight": 1, "label": "warehouse/us#1", "day": "2026-11-21T02:00:00Z"}"""));
  }

  @Test
  void whenAndCountDecideHowManyTasksAndOrdinalsCountPerKind() {
    List<PlannedTask> tasks =
        evaluate(
            """
        {"tasks": [
          {"kind": "report.part", "count": 2},
          {"kind": "report.summary", "when": "facts.summary"},
          {"kind": "report.audit", "when": {"path": "facts.level", "equals": "strict"}},
          {"kind": "report.part", "count": "facts.extra_parts"},
          {"kind": "report.never", "when": "facts.absent"}
        ]}""",
            """
        {"summary": true, "level": "lenient", "extra_parts": 1}""");

    assertThat(tasks)
        .extracting(t -> t.kind() + "/" + t.ordinal())
        .containsExactly("report.part/0", "report.part/1", "report.summary/0", "report.part/2");
  }

  @Test
  void withoutDeclaredRulesARunMakesOneDefaultTaskCarryingItsWindowAndInput() {
    List<PlannedTask> tasks = evaluate("{\"target\": \"warehouse\"}", "{}");

    assertThat(tasks)
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.kind()).isEqualTo(TaskRules.DEFAULT_KIND);
              assertThat(task.payload().path("window"))
                  .isEqualTo(
                      Definitions.json(
                          """
          {"from": "2026-11-21T02:00:00Z", "to": "2026-11-21T02:00:00Z", "missed_count": 1, "compressed": false}"""));
              assertThat(task.payload().path("input").path("target").asText())
                  .isEqualTo("warehouse");
            });
  }

  @Test
  void theShortFormMakesANumberOfDefaultTasksOfTheInputsKind() {
    List<PlannedTask> tasks = evaluate("{\"kind\": \"cleanup.expired\", \"tasks\": 3}", "{}");

    assertThat(tasks)
        .extracting(t -> t.kind() + "/" + t.ordinal())
        .containsExactly("cleanup.expired/0", "cleanup.expired/1", "cleanup.expired/2");
    assertThat(tasks.get(2).payload().path("part").asInt()).isEqualTo(2);
    assertThat(tasks.get(2).payload().path("parts").asInt()).isEqualTo(3);
    assertThat(evaluate("{\"kind\": \"demo.tick\"}", "{}"))
        .extracting(PlannedTask::kind)
        .containsExactly("demo.tick");
    assertThatThrownBy(() -> evaluate("{\"kind\": \"Demo Tick\"}", "{}"))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining("$.input.kind is \"Demo Tick\"");
  }

  @Test
  void aCompressedRunSeesTheWholeWindowOfMissedRuns() {
    ActivityDefinition definition =
        Definitions.definition(
            "nightly-export",
            3,
            """
        {"tasks": [{"kind": "export.range", "payload": {"from": "${run.window.from}", "to": "${run.window.to}"}},
                   {"kind": "export.catch-up", "when": {"path": "run.window.missed_count", "greater_than": 1},
                    "payload": {"runs": "${run.window.missed_count}"}}]}""");
    CompressedWindow window = new CompressedWindow(Instant.parse("2026-11-19T02:00:00Z"), AT, 3);

    List<PlannedTask> compressed =
        TaskRules.from(definition.input()).evaluate(context(definition, Optional.of(window), "{}"));
    List<PlannedTask> single =
        TaskRules.from(definition.input()).evaluate(context(definition, Optional.empty(), "{}"));

    assertThat(compressed)
        .extracting(PlannedTask::kind)
        .containsExactly("export.range", "export.catch-up");
    assertThat(compressed.get(0).payload())
        .isEqualTo(
            Definitions.json(
                """
        {"from": "2026-11-19T02:00:00Z", "to": "2026-11-21T02:00:00Z"}"""));
    assertThat(compressed.get(1).payload().path("runs").asInt()).isEqualTo(3);
    assertThat(single).extracting(PlannedTask::kind).containsExactly("export.range");
  }

  @Test
  void malformedRulesAreRefusedWithPathFoundAndAccepted() {
    assertThatThrownBy(
            () ->
                TaskRules.from(
                    Definitions.json(
                        """
        {"tasks": [{"kind": "Export Partition", "for_each": "facts.x", "count": 2, "colour": "red"}]}""")))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining("$.input.tasks[0].colour is not a known field")
        .hasMessageContaining(
            "$.input.tasks[0].kind is \"Export Partition\"; accepted: dot-separated lowercase words")
        .hasMessageContaining("$.input.tasks[0] has both for_each and count");
    assertThatThrownBy(() -> TaskRules.from(Definitions.json("{\"tasks\": {\"kind\": \"a.b\"}}")))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining("$.input.tasks is a object; accepted: an array");
    assertThatThrownBy(() -> TaskRules.from(Definitions.json("{\"tasks\": -1}")))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining("$.input.tasks is -1");
  }

  @Test
  void aPathWithoutValueIsAnErrorNamingWhereAndWhatExists() {
    assertThatThrownBy(
            () ->
                evaluate(
                    """
        {"tasks": [{"kind": "export.partition", "for_each": "facts.regoins"}]}""",
                    "{\"regions\": []}"))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining(
            "$.input.tasks[0].for_each has path 'facts.regoins' with no value in the run's context")
        .hasMessageContaining("(facts: [regions])");
    assertThatThrownBy(
            () ->
                evaluate(
                    """
        {"tasks": [{"kind": "export.partition", "payload": {"x": "${run.nope}"}}]}""",
                    "{}"))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining("$.input.tasks[0].payload.x has path 'run.nope'");
  }

  @Test
  void tooManyTasksAreRefused() {
    assertThatThrownBy(() -> evaluate("{\"tasks\": [{\"kind\": \"a.b\", \"count\": 1001}]}", "{}"))
        .isInstanceOf(TaskRuleException.class)
        .hasMessageContaining("more than 1000 tasks");
  }
}
