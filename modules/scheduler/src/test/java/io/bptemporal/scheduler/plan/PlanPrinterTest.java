package io.bptemporal.scheduler.plan;

import static io.bptemporal.scheduler.plan.TestRows.desired;
import static io.bptemporal.scheduler.plan.TestRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanPrinterTest {

  @Test
  void onePlusTildeMinusOrBangLinePerChangeThenASummary() {
    var created = row("created", "{\"trigger\": {\"cron\": [\"*/5 * * * *\"]}}");
    var updated = row("updated");
    var paused = row("paused", "{\"paused\": true}");
    var kept = row("kept");
    Plan plan =
        new Plan(
            Instant.EPOCH,
            List.of(
                new Step.Create(desired(created), created),
                new Step.Update(
                    desired(updated),
                    updated,
                    List.of(
                        new FieldChange(
                            "trigger.cron", "[\"0 2 * * *\"]", "[\"0 3 * * *\"]", false))),
                new Step.Pause(desired(paused), paused),
                new Step.Delete("ns", "old", Optional.empty(), "no registry row old"),
                new Step.Reject(
                    row("broken"), "row 'broken' (version 1) is invalid, 1 problem: ..."),
                new Step.Keep(desired(kept), kept, Optional.empty(), List.of())));
    assertThat(PlanPrinter.lines(plan))
        .containsExactly(
            "+ ns/created  Probe on probe-tq; cron [*/5 * * * *] UTC; overlap SKIP, missed runs CATCH_UP (catch-up window 1h)",
            "~ ns/updated",
            "    trigger.cron: [\"0 2 * * *\"] -> [\"0 3 * * *\"]",
            "~ ns/paused  paused: false -> true",
            "- ns/old  (no registry row old)",
            "! broken  invalid: row 'broken' (version 1) is invalid, 1 problem: ...",
            "Plan: 1 to create, 1 to update, 1 to pause, 0 to unpause, 1 to delete; 1 invalid, 0 failed; 1 unchanged, 0"
                + " without schedule.");
  }

  @Test
  void brokenRoutesGetOneBangLinePerProblemThenARouteSummary() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var target =
        new io.bptemporal.registry.routes.RouteTarget(
            "invoice-sync", "pipelines", "RunActivityWorkflow", "activities-tq", true);
    var table =
        io.bptemporal.registry.routes.RouteTable.of(
            List.of(
                new io.bptemporal.registry.routes.RouteRow(
                    "ok",
                    "order.placed",
                    json.readTree("[]"),
                    "START",
                    true,
                    1,
                    Instant.EPOCH,
                    target),
                new io.bptemporal.registry.routes.RouteRow(
                    "off",
                    "order.placed",
                    json.readTree("[]"),
                    "START",
                    false,
                    1,
                    Instant.EPOCH,
                    target),
                new io.bptemporal.registry.routes.RouteRow(
                    "r1",
                    "order.placed",
                    json.readTree(
                        "[{\"path\": \"$.type\", \"exists\": true}, {\"path\": \"x\", \"exists\": true}]"),
                    "START",
                    true,
                    1,
                    Instant.EPOCH,
                    target)));
    assertThat(PlanPrinter.routeLines(table))
        .hasSize(2)
        .satisfies(
            lines -> {
              assertThat(lines.get(0))
                  .startsWith(
                      "! route 'r1': $.filters[1].path: is \"x\", which does not start with '$.'");
              assertThat(lines.get(1)).isEqualTo("Routes: 1 active, 1 inactive, 1 broken.");
            });
  }
}
