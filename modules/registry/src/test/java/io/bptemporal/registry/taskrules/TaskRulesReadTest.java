package io.bptemporal.registry.taskrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Reading a definition's task rules: what the scheduler checks at plan time, before any run. */
class TaskRulesReadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode input(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  @Test
  void wellFormedRulesAreRead() throws Exception {
    TaskRules.from(
        input(
            """
        {"tasks": [
          {"kind": "export.partition", "for_each": "facts.regions", "payload": {"region": "${item.code}", "n": "${index}"}},
          {"kind": "export.catch-up", "when": {"path": "run.window.missed_count", "greater_than": 1}},
          {"kind": "export.summary", "when": "facts.summary_enabled", "count": "input.copies"}]}"""));
  }

  @Test
  void everyProblemOfEveryRuleIsReportedWithItsPath() throws Exception {
    TaskRuleException e =
        catchThrowableOfType(
            TaskRuleException.class,
            () ->
                TaskRules.from(
                    input(
                        """
        {"tasks": [
          {"kind": "Export", "colour": "red"},
          {"kind": "export.partition", "for_each": "fact.regions"},
          {"kind": "export.summary", "when": {"path": "facts..enabled", "equals": true}, "payload": {"to": "x ${run.window.to} ${ruin.x}"}},
          {"kind": "export.copy", "count": "input.copies[x]"}]}""")));

    assertThat(e.problems())
        .extracting(TaskRuleException.Problem::path)
        .containsExactly(
            "$.input.tasks[0].colour",
            "$.input.tasks[0].kind",
            "$.input.tasks[1].for_each",
            "$.input.tasks[2].when",
            "$.input.tasks[2].payload.to",
            "$.input.tasks[3].count");
    assertThat(e.problems().get(2).detail())
        .isEqualTo(
            "path 'fact.regions' starts at 'fact', which the run's context does"
                + " not have; accepted: a path starting at one of [activity, facts, index, input, item, run]");
    assertThat(e.problems().get(3).detail()).startsWith("path 'facts..enabled' is malformed at ''");
    assertThat(e.problems().get(4).detail()).startsWith("path 'ruin.x' starts at 'ruin'");
    assertThat(e)
        .hasMessageContaining(
            "$.input.tasks[0].kind is \"Export\"; accepted: dot-separated lowercase words");
  }

  @Test
  void theShortFormIsCheckedToo() throws Exception {
    TaskRuleException e =
        catchThrowableOfType(
            TaskRuleException.class,
            () -> TaskRules.from(input("{\"kind\": \"Cleanup\", \"tasks\": 3}")));
    assertThat(e.problems())
        .extracting(TaskRuleException.Problem::path)
        .containsExactly("$.input.kind");
  }
}
