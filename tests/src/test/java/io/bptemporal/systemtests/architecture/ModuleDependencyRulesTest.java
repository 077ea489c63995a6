package io.bptemporal.systemtests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module dependency direction of docs/adr/0007-module-boundaries.md, checked on the production
 * classes of every module: any module may use contracts and observability, the worker processes
 * also the shared runtime, the activity worker (RunActivity) and the scheduler also the registry
 * (which itself uses contracts and runtime); the order-saga and pipeline workers never the
 * registry; workers never use each other or the scheduler; no production module uses devstack or
 * local-cluster (test-support modules: only local-cluster reuses the dev stack's process
 * supervision) or the system tests.
 */
class ModuleDependencyRulesTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bptemporal");
  }

  @Test
  void theImportSeesTheModulesItJudges() {
    // Guards the rules below against passing on an empty import (e.g. a broken classpath).
    assertThat(production.stream().map(c -> c.getPackageName()))
        .anyMatch(p -> p.startsWith("io.bptemporal.activity"))
        .anyMatch(p -> p.startsWith("io.bptemporal.router"))
        .anyMatch(p -> p.startsWith("io.bptemporal.devstack"))
        .anyMatch(p -> p.startsWith("io.bptemporal.localcluster"));
  }

  @Test
  void modulesDependOnlyInTheDirectionOfTheDesign() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true)
        .layer("contracts")
        .definedBy("io.bptemporal.contracts..")
        .layer("observability")
        .definedBy("io.bptemporal.observability..")
        .layer("runtime")
        .definedBy("io.bptemporal.runtime..")
        .layer("registry")
        .definedBy("io.bptemporal.registry..")
        .layer("order-saga")
        .definedBy("io.bptemporal.ordersaga..")
        .layer("pipeline")
        .definedBy("io.bptemporal.pipeline..")
        .layer("activity")
        .definedBy("io.bptemporal.activity..")
        .layer("scheduler")
        .definedBy("io.bptemporal.scheduler..")
        .layer("event-router")
        .definedBy("io.bptemporal.router..")
        .layer("devstack")
        .definedBy("io.bptemporal.devstack..")
        .layer("local-cluster")
        .definedBy("io.bptemporal.localcluster..")
        .whereLayer("order-saga")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("pipeline")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("activity")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("scheduler")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("event-router")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("local-cluster")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("devstack")
        .mayOnlyBeAccessedByLayers("local-cluster")
        .whereLayer("runtime")
        .mayOnlyBeAccessedByLayers(
            "registry", "order-saga", "pipeline", "activity", "scheduler", "event-router")
        .whereLayer("registry")
        .mayOnlyBeAccessedByLayers("activity", "scheduler", "event-router")
        .whereLayer("observability")
        .mayOnlyBeAccessedByLayers(
            "runtime",
            "order-saga",
            "pipeline",
            "activity",
            "scheduler",
            "event-router",
            "devstack")
        .whereLayer("contracts")
        .mayOnlyBeAccessedByLayers(
            "observability",
            "runtime",
            "registry",
            "order-saga",
            "pipeline",
            "activity",
            "scheduler",
            "event-router",
            "devstack")
        .check(production);
  }

  @Test
  void onlyTheActivityWorkerAndTheSchedulerUseTheRegistry() {
    // Implied by the layers above; stated on its own so that a break names the reason.
    noClasses()
        .that()
        .resideInAnyPackage("io.bptemporal.pipeline..", "io.bptemporal.ordersaga..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.bptemporal.registry..")
        .because(
            "RunActivity moved to the activity worker; the registry is read only there and owned by the scheduler")
        .check(production);
  }

  @Test
  void theEventRouterUsesOnlyTheSharedModules() {
    // Implied by the layers above; stated on its own so that a break names the reason.
    noClasses()
        .that()
        .resideInAPackage("io.bptemporal.router..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.bptemporal.activity..",
            "io.bptemporal.scheduler..",
            "io.bptemporal.pipeline..",
            "io.bptemporal.ordersaga..",
            "io.bptemporal.devstack..",
            "io.bptemporal.localcluster..")
        .because(
            "the event router is a process of its own: it may use contracts, registry, runtime and"
                + " observability only (docs/adr/0008-event-router.md)")
        .check(production);
  }

  @Test
  void productionCodeNeverReachesIntoTheSystemTests() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.bptemporal.systemtests..")
        .allowEmptyShould(false)
        .check(production);
  }

  @Test
  void everyProcessConnectsToTemporalThroughTheOneConnectionFactory() {
    // A client made elsewhere misses the contract data converter, the payload encryption codec and
    // the interceptors (tracing, log context).
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.bptemporal.runtime.temporal..",
            "io.bptemporal.devstack..",
            "io.bptemporal.localcluster..")
        .should()
        .callMethod(
            io.temporal.client.WorkflowClient.class,
            "newInstance",
            io.temporal.serviceclient.WorkflowServiceStubs.class,
            io.temporal.client.WorkflowClientOptions.class)
        .orShould()
        .callMethod(
            io.temporal.client.schedules.ScheduleClient.class,
            "newInstance",
            io.temporal.serviceclient.WorkflowServiceStubs.class,
            io.temporal.client.schedules.ScheduleClientOptions.class)
        .orShould()
        .callMethod(
            io.temporal.serviceclient.WorkflowServiceStubs.class,
            "newServiceStubs",
            io.temporal.serviceclient.WorkflowServiceStubsOptions.class)
        .because("runtime.temporal.TemporalConnection is the one way processes connect to Temporal")
        .check(production);
  }

  @Test
  void everyProcessReadsItsEnvironmentThroughTheOneReader() {
    // One reader collects every problem of a process's configuration into one report (one
    // ConfigurationException);
    // the dev tools (devstack, local-cluster) are not platform processes and keep their own.
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.bptemporal.observability.config..",
            "io.bptemporal.devstack..",
            "io.bptemporal.localcluster..")
        .should()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "getenv")
        .because(
            "observability.config.Environment is the one configuration reader of the platform's processes")
        .check(production);
  }

  @Test
  void everyProcessStopsThroughTheOneLifecycle() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.bptemporal.runtime.process..",
            "io.bptemporal.devstack..",
            "io.bptemporal.localcluster..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("sun.misc.Signal")
        .orShould()
        .callMethod(Runtime.class, "addShutdownHook", Thread.class)
        .because(
            "runtime.process.ProcessLifecycle is the one way a process handles SIGTERM and stops gracefully")
        .check(production);
  }

  @Test
  void everySchemaMigratesThroughTheOneHelper() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.bptemporal.runtime.database..")
        .should()
        .callMethod(org.flywaydb.core.Flyway.class, "configure")
        .because("runtime.database.Migrations holds the one migration and retry policy")
        .check(production);
  }

  @Test
  void noCatchAllUtilityClasses() {
    noClasses()
        .should()
        .haveSimpleNameEndingWith("Utils")
        .orShould()
        .haveSimpleNameEndingWith("Helper")
        .orShould()
        .haveSimpleNameEndingWith("Manager")
        .because("docs/adr/0007-module-boundaries.md: names say what a thing is in the domain")
        .check(production);
  }
}
