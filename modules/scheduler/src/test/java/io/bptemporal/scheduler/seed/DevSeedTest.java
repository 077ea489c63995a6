package io.bptemporal.scheduler.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.MissedRunPolicy;
import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.registry.store.RegistryRow;
import io.bptemporal.scheduler.config.SchedulerSettings;
import io.bptemporal.scheduler.plan.CanonicalJson;
import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.RowChecks;
import io.bptemporal.scheduler.plan.RowVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DevSeedTest {

  @Test
  void theSeedsAreAMinutelyRunActivityANightlyPipelineAnHourlyCompressedJobAndTwoEventActivities() {
    List<ActivityDefinition> seeds = DevSeed.definitions();
    assertThat(seeds)
        .extracting(ActivityDefinition::activityId)
        .containsExactly(
            "demo-tick-every-minute",
            "nightly-orders-pipeline",
            "hourly-cleanup",
            "demo-order-placed",
            "demo-account-events");
    assertThat(seeds)
        .extracting(ActivityDefinition::workflowType)
        .containsExactly(
            "RunActivityWorkflow",
            "DataPipelineWorkflow",
            "RunActivityWorkflow",
            "RunActivityWorkflow",
            "RunActivityWorkflow");
    assertThat(seeds.get(2).policies().missedRun()).isEqualTo(MissedRunPolicy.COMPRESS);
    assertThat(seeds.subList(0, 3)).allSatisfy(s -> assertThat(DesiredSchedule.of(s)).isPresent());
    assertThat(seeds.subList(3, 5))
        .as("triggered by events only: no Schedule")
        .allSatisfy(s -> assertThat(DesiredSchedule.of(s)).isEmpty());
  }

  @Test
  void theSeedRoutesAreOneStartAndOneSignalWithStartRouteOfTheEventActivities() {
    // routes() parses each against its activity: a broken seed route throws here.
    List<DevSeed.SeedRoute> routes = DevSeed.routes();
    assertThat(routes)
        .extracting(DevSeed.SeedRoute::routeId, DevSeed.SeedRoute::delivery)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("demo-order-placed", "START"),
            org.assertj.core.groups.Tuple.tuple("demo-account-events", "SIGNAL_WITH_START"));
    for (DevSeed.SeedRoute route : routes) {
      ActivityDefinition activity =
          DevSeed.definitions().stream()
              .filter(d -> d.activityId().equals(route.activityId()))
              .findFirst()
              .orElseThrow();
      assertThat(activity.trigger().eventTypes())
          .as("the activity says which events trigger it")
          .containsExactly(route.eventType());
    }
  }

  @Test
  void everySeedPassesTheSchedulersOwnChecksWithTheDefaultConfiguration() {
    Set<String> namespaces =
        Namespaces.ALL.stream().map(NamespaceSpec::name).collect(Collectors.toSet());
    RowChecks checks =
        new RowChecks(
            namespaces, Optional.of(Set.copyOf(SchedulerSettings.DEFAULT_WORKFLOW_TYPES)));
    for (ActivityDefinition seed : DevSeed.definitions()) {
      RegistryRow row = asRow(seed);
      assertThat(checks.check(row, namespaces))
          .as(seed.activityId())
          .isInstanceOf(RowVerdict.Valid.class);
    }
  }

  private static RegistryRow asRow(ActivityDefinition d) {
    com.fasterxml.jackson.databind.JsonNode trigger =
        CanonicalJson.mapper().valueToTree(d.trigger());
    return new RegistryRow(
        d.activityId(),
        d.version(),
        d.schemaVersion(),
        d.description(),
        d.namespace(),
        d.workflowType(),
        d.taskQueue(),
        d.input(),
        trigger,
        d.policies().overlap().name(),
        d.policies().missedRun().name(),
        io.bptemporal.contracts.activity.DurationText.format(d.policies().catchUpWindow()),
        d.policies().pauseOnFailure(),
        d.enabled(),
        d.paused(),
        d.owner(),
        d.notes(),
        Instant.EPOCH);
  }
}
