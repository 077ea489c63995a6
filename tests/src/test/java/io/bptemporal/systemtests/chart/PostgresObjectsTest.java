package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.systemtests.chart.CustomResources.CnpgCluster;
import io.bptemporal.systemtests.chart.CustomResources.CnpgDatabase;
import io.bptemporal.systemtests.chart.CustomResources.CnpgScheduledBackup;
import io.bptemporal.systemtests.chart.CustomResources.PodMonitor;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CloudNativePG objects: one Cluster, a Database per non-bootstrap database, backups through
 * the plugin.
 */
class PostgresObjectsTest {

  @Test
  void clusterBootstrapsTemporalsDatabaseForTheOwnerWhoseSecretTheStoresUse() {
    CnpgCluster cluster =
        KubernetesTypeCheck.bind(
            RenderCases.minimal().get("Cluster", "bp-temporal-pg"), CnpgCluster.class);
    assertThat(cluster.spec().instances()).isEqualTo(1);
    assertThat(cluster.spec().bootstrap().initdb().database()).isEqualTo("temporal");
    assertThat(cluster.spec().bootstrap().initdb().owner()).isEqualTo("app");
    assertThat(cluster.spec().postgresql().parameters()).containsEntry("max_connections", "400");
    assertThat(cluster.spec().enableSuperuserAccess()).isFalse();
    assertThat(cluster.spec().affinity().enablePodAntiAffinity()).isTrue();
    assertThat(cluster.spec().plugins()).as("no backup plugin unless backups are on").isNull();
    assertThat(cluster.spec().inheritedMetadata().labels())
        .containsEntry("app.kubernetes.io/instance", ChartUnderTest.RELEASE);
  }

  /**
   * helm uninstall must not take the data with it: CNPG deletes the instances' PVCs with the
   * Cluster, so the Cluster is kept (the e2e suite uninstalls a real release and finds exactly it
   * and what it owns left).
   */
  @Test
  void theClusterAndSoTheDataOutliveAnUninstallUnlessTurnedOff() {
    assertThat(
            RenderCases.minimal()
                .get("Cluster", "bp-temporal-pg")
                .at("/metadata/annotations/helm.sh~1resource-policy")
                .asText())
        .isEqualTo("keep");
    RenderedManifest dropping =
        RenderCases.render(
            RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"))
                .set("postgres.cnpg.keepOnUninstall=false"));
    assertThat(
            dropping.get("Cluster", "bp-temporal-pg").at("/metadata/annotations").isMissingNode())
        .isTrue();
  }

  /**
   * Least privilege: Temporal's visibility database stays with the cluster owner (like the
   * bootstrap one), each process's database belongs to that process's own role, so no worker can
   * write Temporal's tables.
   */
  @Test
  void everyOtherDatabaseIsACnpgDatabaseRetainedAndOwnedByTheRoleOfTheProcessUsingIt() {
    Map<String, CnpgDatabase> byName =
        RenderCases.minimal().ofKind("Database").stream()
            .map(o -> KubernetesTypeCheck.bind(o, CnpgDatabase.class))
            .collect(Collectors.toMap(d -> d.spec().name(), d -> d));
    assertThat(byName)
        .containsOnlyKeys("temporal_visibility", "orders", "pipeline", "activity", "registry");
    assertThat(byName)
        .extractingFromEntries(e -> e.getKey() + "=" + e.getValue().spec().owner())
        .containsExactlyInAnyOrder(
            "temporal_visibility=app",
            "orders=orders_worker",
            "pipeline=pipeline_worker",
            "activity=activity_worker",
            "registry=scheduler");
    byName
        .values()
        .forEach(
            d -> {
              assertThat(d.spec().cluster().name()).isEqualTo("bp-temporal-pg");
              assertThat(d.spec().databaseReclaimPolicy()).isEqualTo("retain");
              assertThat(d.spec().ensure()).isEqualTo("present");
            });
    assertThat(byName.get("temporal_visibility").spec().extensions())
        .singleElement()
        .satisfies(e -> assertThat(e.name()).isEqualTo("btree_gin"));
    assertThat(byName.get("orders").spec().extensions()).isNull();
    // A disabled process renders neither its role nor its database (the data stays: retain).
    RenderedManifest without =
        RenderCases.render(
            RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"))
                .set("workers.activity.enabled=false"));
    assertThat(without.ofKind("Database"))
        .extracting(o -> o.at("/spec/name").asText())
        .doesNotContain("activity");
  }

  /**
   * One login role per process, nothing more, each with the basic-auth Secret the chart generates
   * for it.
   */
  @Test
  void eachProcessHasAManagedLoginRoleWithAGeneratedSecretAndNoOtherPower() {
    RenderedManifest manifest = RenderCases.minimal();
    CnpgCluster cluster =
        KubernetesTypeCheck.bind(manifest.get("Cluster", "bp-temporal-pg"), CnpgCluster.class);
    Map<String, String> secretByRole =
        Map.of(
            "orders_worker",
            "bp-temporal-order-saga-worker-db",
            "pipeline_worker",
            "bp-temporal-pipeline-worker-db",
            "activity_worker",
            "bp-temporal-activity-worker-db",
            "scheduler",
            "bp-temporal-scheduler-db");
    assertThat(cluster.spec().managed().roles())
        .extracting(CustomResources.RoleConfiguration::name)
        .containsExactlyInAnyOrderElementsOf(secretByRole.keySet());
    cluster
        .spec()
        .managed()
        .roles()
        .forEach(
            role -> {
              assertThat(role.login()).as(role.name()).isTrue();
              assertThat(
                      List.of(
                          role.superuser(),
                          role.createdb(),
                          role.createrole(),
                          role.replication(),
                          role.bypassrls()))
                  .as("powers of %s", role.name())
                  .containsOnly(false);
              assertThat(role.ensure()).isEqualTo("present");
              // Inherit, or the database owner lacks pg_database_owner's CREATE on schema public
              // (e2e: Flyway refused).
              assertThat(role.inherit()).as("inherit of %s", role.name()).isTrue();
              assertThat(role.inRoles()).as("roles granted to %s", role.name()).isNull();
              assertThat(role.passwordSecret().name()).isEqualTo(secretByRole.get(role.name()));
              RenderedManifest.RenderedObject secret =
                  manifest.get("Secret", role.passwordSecret().name());
              assertThat(secret.at("/type").asText()).isEqualTo("kubernetes.io/basic-auth");
              assertThat(secret.at("/stringData/username").asText()).isEqualTo(role.name());
              assertThat(secret.at("/stringData/password").asText())
                  .as("generated password")
                  .matches("[A-Za-z0-9]{40}");
              assertThat(secret.at("/metadata/annotations/helm.sh~1resource-policy").asText())
                  .isEqualTo("keep");
              assertThat(secret.at("/metadata/labels/cnpg.io~1reload").asText()).isEqualTo("true");
            });
    // Passwords are random per render (helm template cannot look up the live Secret), never a
    // value.
    assertThat(
            RenderCases.render(
                    RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"))
                        .set("commonLabels.render-check=second")) // a second helm run: renders are
                // cached per request
                .get("Secret", "bp-temporal-scheduler-db")
                .at("/stringData/password")
                .asText())
        .isNotEqualTo(
            manifest.get("Secret", "bp-temporal-scheduler-db").at("/stringData/password").asText());
    RenderedManifest dropping =
        RenderCases.render(
            RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"))
                .set("postgres.cnpg.keepOnUninstall=false"));
    assertThat(
            dropping
                .get("Secret", "bp-temporal-scheduler-db")
                .at("/metadata/annotations")
                .isMissingNode())
        .isTrue();
    // The owner of Temporal's databases is no process's role.
    assertThat(secretByRole).doesNotContainKey(cluster.spec().bootstrap().initdb().owner());
  }

  /** External mode: no roles, no Secrets, no Databases of the chart's; the DBA provides them. */
  @Test
  void externalModeRendersNoRoleSecretOrDatabase() {
    RenderedManifest manifest =
        RenderCases.render(RenderCases.scenario("05-external-postgres-values.yaml"));
    assertThat(manifest.ofKind("Cluster")).isEmpty();
    assertThat(manifest.ofKind("Database")).isEmpty();
    assertThat(manifest.ofKind("Secret"))
        .extracting(RenderedManifest.RenderedObject::name)
        .noneMatch(n -> n.endsWith("-db"));
  }

  @Test
  void backupsUseTheBarmanCloudPluginAndAScheduledBackup() {
    RenderedManifest manifest =
        RenderCases.render(RenderCases.scenario("06-production-like-values.yaml"));
    CnpgCluster cluster =
        KubernetesTypeCheck.bind(manifest.get("Cluster", "bp-temporal-pg"), CnpgCluster.class);
    assertThat(cluster.spec().instances()).isEqualTo(3);
    assertThat(cluster.spec().plugins())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("barman-cloud.cloudnative-pg.io");
              assertThat(p.isWALArchiver()).isTrue();
              assertThat(p.parameters()).containsEntry("barmanObjectName", "bp-temporal-backups");
            });
    CnpgScheduledBackup backup =
        KubernetesTypeCheck.bind(
            manifest.get("ScheduledBackup", "bp-temporal-pg-daily"), CnpgScheduledBackup.class);
    assertThat(backup.spec().method()).isEqualTo("plugin");
    assertThat(backup.spec().pluginConfiguration().name())
        .isEqualTo("barman-cloud.cloudnative-pg.io");
    assertThat(backup.spec().cluster().name()).isEqualTo("bp-temporal-pg");
    assertThat(backup.spec().backupOwnerReference()).isEqualTo("self");
  }

  @Test
  void ourPodMonitorReplacesCnpgsDeprecatedOne() {
    RenderedManifest manifest =
        RenderCases.render(RenderCases.scenario("02-full-observability-values.yaml"));
    PodMonitor monitor =
        KubernetesTypeCheck.bind(manifest.get("PodMonitor", "bp-temporal-pg"), PodMonitor.class);
    assertThat(monitor.spec().selector().getMatchLabels())
        .containsExactlyEntriesOf(Map.of("cnpg.io/cluster", "bp-temporal-pg"));
    assertThat(monitor.spec().podMetricsEndpoints())
        .singleElement()
        .satisfies(e -> assertThat(e.port()).isEqualTo("metrics"));
    assertThat(manifest.get("Cluster", "bp-temporal-pg").at("/spec/monitoring").isMissingNode())
        .isTrue();
  }

  @Test
  void externalModeRendersNoCnpgObjects() {
    RenderedManifest manifest =
        RenderCases.render(RenderCases.scenario("05-external-postgres-values.yaml"));
    for (String kind : List.of("Cluster", "Database", "ScheduledBackup")) {
      assertThat(manifest.ofKind(kind)).as(kind).isEmpty();
    }
  }

  @Test
  void theConnectionBudgetCountsHpaMaximaAndServiceReplicas() {
    // production-like: 12 Temporal pods x 30 + (10 + 8 + 2) x 10 + activity worker 2 x (10 + 2 on
    // the registry) + 20
    // = 604 <= 700; at 603 it must refuse.
    RenderRequest tight =
        RenderCases.scenario("06-production-like-values.yaml")
            .set("postgres.cnpg.parameters.max_connections=603");
    HelmBinary.Run run = RenderCases.chart().template(tight);
    assertThat(run.succeeded()).isFalse();
    assertThat(run.stderr())
        .contains(
            "max_connections is 603 but the platform can open 604",
            "Temporal 12 pods x 30",
            "processes 224",
            "reserve 20");
    assertThat(
            RenderCases.chart()
                .template(
                    RenderCases.scenario("06-production-like-values.yaml")
                        .set("postgres.cnpg.parameters.max_connections=604"))
                .succeeded())
        .isTrue();
  }
}
