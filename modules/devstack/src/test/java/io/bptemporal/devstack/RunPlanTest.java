package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlanTest {
  @TempDir Path repo;

  @Test
  void readsServicesAndTasksInOrder() throws Exception {
    Files.createDirectories(repo.resolve("modules/worker"));
    Path plan =
        Files.writeString(
            repo.resolve("run.yaml"),
            """
        roles: [registry_reader]
        apps:
          - name: order-saga-worker
            module: modules/worker
            main: io.example.WorkerMain
            database: orders
            env: {TEMPORAL_NAMESPACE: orders}
          - name: order-demo
            module: modules/worker
            main: io.example.Demo
            args: [place, --count, "3"]
            kind: task
        """);

    RunPlan loaded = RunPlan.load(plan, repo);

    assertThat(loaded.roles()).containsExactly("registry_reader");
    assertThat(loaded.apps()).hasSize(2);
    assertThat(loaded.describe()).isEqualTo("order-saga-worker, order-demo (task)");
    assertThat(loaded.apps().get(0).kind()).isEqualTo(RunPlan.Kind.SERVICE);
    assertThat(loaded.apps().get(0).database()).isEqualTo(Optional.of("orders"));
    assertThat(loaded.apps().get(0).env()).containsEntry("TEMPORAL_NAMESPACE", "orders");
    assertThat(loaded.apps().get(1).kind()).isEqualTo(RunPlan.Kind.TASK);
    assertThat(loaded.apps().get(1).args()).containsExactly("place", "--count", "3");
    assertThat(loaded.apps().get(0).args()).isEmpty();
  }

  @Test
  void everyProblemIsReportedWithItsPlaceInTheFile() throws Exception {
    Path plan =
        Files.writeString(
            repo.resolve("run.yaml"),
            """
        roles: [Reader-Role]
        apps:
          - name: Order_Worker
            module: modules/missing
            main: not a class
            kind: daemon
            database: Orders-DB
        """);

    assertThatThrownBy(() -> RunPlan.load(plan, repo))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("run.yaml: roles[0] 'Reader-Role' is not accepted")
        .hasMessageContaining("run.yaml: apps[0].name 'Order_Worker' is not accepted")
        .hasMessageContaining(
            "run.yaml: apps[0].module 'modules/missing' is not a module directory")
        .hasMessageContaining(
            "run.yaml: apps[0].main 'not a class' is not a fully qualified class name")
        .hasMessageContaining(
            "run.yaml: apps[0].kind 'daemon' is not accepted: use service or task")
        .hasMessageContaining("run.yaml: apps[0].database 'Orders-DB' is not accepted");
  }

  @Test
  void unknownKeysAreRejectedWithTheExpectedShape() throws Exception {
    Path plan =
        Files.writeString(repo.resolve("run.yaml"), "apps:\n  - name: a\n    mainclass: x\n");

    assertThatThrownBy(() -> RunPlan.load(plan, repo))
        .hasMessageContaining("is not a valid run plan")
        .hasMessageContaining("mainclass")
        .hasMessageContaining(
            "expected: roles: [name], apps: [{name, module, main, args, kind: service|task, database, env}]");
  }

  @Test
  void theRepositorysPlanIsValid() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("dev/run.yaml"))) {
      root = root.getParent();
    }
    RunPlan plan = RunPlan.load(root.resolve("dev/run.yaml"), root);
    assertThat(plan.apps()).allSatisfy(app -> assertThat(app.module()).isDirectory());
    // The activity worker reads the registry as the reader role the scheduler grants
    // (docs/activity-worker.md).
    assertThat(plan.roles()).contains("registry_reader");
    assertThat(plan.apps())
        .filteredOn(app -> app.name().equals("scheduler"))
        .singleElement()
        .satisfies(
            app -> assertThat(app.env()).containsEntry("REGISTRY_READER_ROLES", "registry_reader"));
    assertThat(plan.apps())
        .filteredOn(app -> app.name().equals("activity-worker"))
        .singleElement()
        .satisfies(
            app -> {
              assertThat(app.database()).contains("activity");
              assertThat(app.env())
                  .containsEntry("REGISTRY_DB_USER", "registry_reader")
                  .containsEntry("REGISTRY_DB_URL", "${jdbc:registry}");
            });
    // The event router reads the routes as the same reader role (docs/event-router.md).
    assertThat(plan.apps())
        .filteredOn(app -> app.name().equals("event-router"))
        .singleElement()
        .satisfies(
            app ->
                assertThat(app.env())
                    .containsEntry("REGISTRY_DB_USER", "registry_reader")
                    .containsEntry("REGISTRY_DB_URL", "${jdbc:registry}"));
    // The event demo publishes once the routes are seeded and the router and the activity worker
    // are up (docs/event-router.md).
    List<String> names = plan.apps().stream().map(RunPlan.App::name).toList();
    assertThat(names).contains("event-demo");
    assertThat(names.indexOf("event-demo"))
        .isGreaterThan(names.indexOf("scheduler"))
        .isGreaterThan(names.indexOf("activity-worker"))
        .isGreaterThan(names.indexOf("event-router"));
    assertThat(plan.apps().get(names.indexOf("event-demo")).kind()).isEqualTo(RunPlan.Kind.TASK);
  }
}
