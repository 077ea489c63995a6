package io.bptemporal.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.localcluster.ClusterLayout;
import io.bptemporal.localcluster.junit.ClusterEndpoints;
import io.bptemporal.localcluster.junit.LocalClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real CloudNativePG operator 1.30.0 on the local cluster, installed from the upstream release manifest
 * (changed only in the operator's pull policy: {@code Always} would ask a registry this machine cannot reach):
 * its CRDs are served and validated by the API server, and it reconciles a one-instance Cluster on the
 * locally built PostgreSQL operand image and the default StorageClass to healthy, then a Database with the
 * extension Temporal's visibility store needs.
 */
@ExtendWith(LocalClusterExtension.class)
class CloudNativePgE2E {
  private static final ResourceDefinitionContext CLUSTER = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Cluster").withPlural("clusters").withNamespaced(true).build();
  private static final ResourceDefinitionContext DATABASE = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Database").withPlural("databases").withNamespaced(true).build();

  @Test
  void theOperatorReconcilesAClusterAndADatabaseWithAnExtension(KubernetesClient client, ClusterEndpoints cluster) throws Exception {
    installOperator(client, cluster);
    String operand = TestNamespace.imageReference(cluster.imageIndex(), "ghcr.io/cloudnative-pg/postgresql:");
    try (TestNamespace ns = new TestNamespace(client, "proof-cnpg", cluster.imageIndex())) {
      // The API server's own schema validation (the CRD's openAPIV3Schema), not the operator's webhook.
      assertThatThrownBy(() -> ns.create("""
          apiVersion: postgresql.cnpg.io/v1
          kind: Cluster
          metadata: {name: bad}
          spec:
            instances: 0
            storage: {size: 1Gi}
          """))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getMessage()).contains("spec.instances").contains("should be greater than or equal to 1");
          });

      ns.create("""
          apiVersion: postgresql.cnpg.io/v1
          kind: Cluster
          metadata: {name: pg}
          spec:
            instances: 1
            imageName: %s
            storage: {size: 1Gi}
            bootstrap:
              initdb: {database: app, owner: app}
          """.formatted(operand));
      GenericKubernetesResource healthy = client.genericKubernetesResources(CLUSTER).inNamespace(ns.name).withName("pg")
          .waitUntilCondition(c -> c != null && "Cluster in healthy state".equals(status(c).get("phase"))
              && Integer.valueOf(1).equals(status(c).get("readyInstances")), 600, TimeUnit.SECONDS);
      assertThat(status(healthy)).containsEntry("instances", 1);
      assertThat(client.persistentVolumeClaims().inNamespace(ns.name).withName("pg-1").get().getSpec().getStorageClassName())
          .isEqualTo("local-path");

      ns.create("""
          apiVersion: postgresql.cnpg.io/v1
          kind: Database
          metadata: {name: visibility}
          spec:
            name: temporal_visibility
            owner: app
            cluster: {name: pg}
            extensions:
            - {name: btree_gin, ensure: present}
          """);
      GenericKubernetesResource database = client.genericKubernetesResources(DATABASE).inNamespace(ns.name).withName("visibility")
          .waitUntilCondition(d -> d != null && Boolean.TRUE.equals(status(d).get("applied")), 180, TimeUnit.SECONDS);
      assertThat(status(database).get("message")).as("status message").isIn(null, "");

      List<String> psql = cluster.kubectlCommand("-n", ns.name, "exec", "pg-1", "-c", "postgres", "--", "psql", "-d",
          "temporal_visibility", "-tAc", "select extname || ':' || pg_get_userbyid(d.datdba) from pg_extension, pg_database d where d.datname = current_database()");
      Process p = new ProcessBuilder(psql).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(out).isZero();
      assertThat(out).contains("btree_gin:app");
    }
  }

  /** The upstream manifest with the one change a registry-less cluster needs; server-side (the CRDs are large). */
  private static void installOperator(KubernetesClient client, ClusterEndpoints cluster) throws Exception {
    Path upstream = ClusterLayout.discover().repo().getParent().resolve("shared/upstream/cnpg-1.30.0.yaml");
    assertThat(upstream).as("the CNPG 1.30.0 release manifest (../shared/upstream)").exists();
    String manifest = Files.readString(upstream);
    String always = "imagePullPolicy: Always";
    assertThat(manifest.split(always, -1)).as("exactly one '%s' (the operator's) to change", always).hasSize(2);
    Path patched = Files.createTempFile("cnpg-1.30.0-local", ".yaml");
    Files.writeString(patched, manifest.replace(always, "imagePullPolicy: IfNotPresent"));
    Process apply = new ProcessBuilder(cluster.kubectlCommand("apply", "--server-side", "--force-conflicts", "-f", patched.toString()))
        .redirectErrorStream(true).start();
    String out = new String(apply.getInputStream().readAllBytes());
    assertThat(apply.waitFor()).as(out).isZero();
    Files.delete(patched);
    for (String crd : List.of("clusters.postgresql.cnpg.io", "databases.postgresql.cnpg.io")) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd).waitUntilCondition(CloudNativePgE2E::established, 60, TimeUnit.SECONDS);
    }
    client.apps().deployments().inNamespace("cnpg-system").withName("cnpg-controller-manager").waitUntilCondition(d -> d.getStatus() != null
        && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 300, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
