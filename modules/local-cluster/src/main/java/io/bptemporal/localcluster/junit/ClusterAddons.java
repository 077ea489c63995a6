package io.bptemporal.localcluster.junit;

import io.bptemporal.localcluster.ClusterLayout;
import io.bptemporal.localcluster.LocalClusterException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a platform team installs before the blueprint, from the exact upstream artifacts beside the
 * checkout ({@code ../shared/upstream}): the CloudNativePG operator 1.30.0 release manifest and the
 * prometheus-operator CRDs. Both are applied server-side (the CRDs are too large for a client-side
 * apply's annotation) and are idempotent, so every e2e class may call them.
 */
public final class ClusterAddons {
  private static final String PULL_ALWAYS = "imagePullPolicy: Always";

  private ClusterAddons() {}

  /** {@code ../shared/upstream} beside the checkout; fails naming the path when it is missing. */
  public static Path upstreamDir() {
    Path dir = ClusterLayout.discover().repo().getParent().resolve("shared/upstream");
    if (!Files.isDirectory(dir)) {
      throw new LocalClusterException(
          "the upstream artifacts are not at " + dir + " (CNPG manifest, CRDs, temporal chart)");
    }
    return dir;
  }

  /**
   * The CNPG operator from its release manifest, changed only in the operator's pull policy ({@code
   * Always} would ask a registry this machine cannot reach; the image factory imported it), then
   * waits until its CRDs are established and the operator is ready.
   */
  public static void installCloudNativePg(KubernetesClient client, ClusterEndpoints cluster) {
    try {
      String manifest = Files.readString(upstreamDir().resolve("cnpg-1.30.0.yaml"));
      if (manifest.split(PULL_ALWAYS, -1).length != 2) {
        throw new LocalClusterException(
            "expected exactly one '" + PULL_ALWAYS + "' (the operator's) in the CNPG manifest");
      }
      applyServerSide(
          cluster,
          manifest.replace(PULL_ALWAYS, "imagePullPolicy: IfNotPresent"),
          "cnpg-1.30.0-local");
    } catch (IOException e) {
      throw new LocalClusterException("cannot read the CNPG manifest: " + e.getMessage(), e);
    }
    awaitEstablished(
        client, List.of("clusters.postgresql.cnpg.io", "databases.postgresql.cnpg.io"));
    awaitOneReady(client, "cnpg-system", "cnpg-controller-manager");
  }

  /**
   * The prometheus-operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule) the opt-in
   * observability renders.
   */
  public static void installPrometheusOperatorCrds(
      KubernetesClient client, ClusterEndpoints cluster) {
    cluster.run(
        cluster.kubectlCommand(
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            upstreamDir().resolve("crds").toString()));
    awaitEstablished(
        client,
        List.of(
            "servicemonitors.monitoring.coreos.com",
            "podmonitors.monitoring.coreos.com",
            "prometheusrules.monitoring.coreos.com"));
  }

  /**
   * cert-manager's certificate controllers (the chart's {@code tls.enabled} needs its kinds): the
   * CRDs {@code scripts/bootstrap cluster} rendered from cert-manager's module into {@code
   * .tools/manifests}, then the controller built by the image factory (its reference read from the
   * image index), applied server-side and idempotent; waits until the controller is ready.
   */
  public static void installCertManager(KubernetesClient client, ClusterEndpoints cluster) {
    Path repo = ClusterLayout.discover().repo();
    Path crds = repo.resolve(".tools/manifests/cert-manager-crds.yaml");
    if (!Files.isRegularFile(crds)) {
      throw new LocalClusterException(
          "cert-manager's CRDs are not at " + crds + ": run scripts/bootstrap cluster");
    }
    cluster.run(
        cluster.kubectlCommand(
            "apply", "--server-side", "--force-conflicts", "-f", crds.toString()));
    awaitEstablished(
        client,
        List.of(
            "certificates.cert-manager.io",
            "certificaterequests.cert-manager.io",
            "issuers.cert-manager.io",
            "clusterissuers.cert-manager.io"));
    try {
      String image =
          Files.readAllLines(cluster.imageIndex()).stream()
              .map(line -> line.split("\t")[0])
              .filter(ref -> ref.startsWith("bp-temporal.local/cert-manager:"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new LocalClusterException(
                          "no bp-temporal.local/cert-manager image in "
                              + cluster.imageIndex()
                              + ": run scripts/build-cluster-images"));
      String manifest;
      try (var in =
          ClusterAddons.class.getResourceAsStream(
              "/io/bptemporal/localcluster/cert-manager.yaml")) {
        manifest = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      applyServerSide(cluster, manifest.replace("${IMAGE}", image), "cert-manager-local");
    } catch (IOException e) {
      throw new LocalClusterException("cannot prepare cert-manager: " + e.getMessage(), e);
    }
    awaitOneReady(client, "cert-manager", "cert-manager");
  }

  /** Applies a manifest held in memory, server-side, through a temporary file. */
  private static void applyServerSide(ClusterEndpoints cluster, String manifest, String name)
      throws IOException {
    Path file = Files.createTempFile(name, ".yaml");
    try {
      Files.writeString(file, manifest);
      cluster.run(
          cluster.kubectlCommand(
              "apply", "--server-side", "--force-conflicts", "-f", file.toString()));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Waits (5 minutes at most) until the one replica of an operator's Deployment is ready. */
  private static void awaitOneReady(KubernetesClient client, String namespace, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
            300,
            TimeUnit.SECONDS);
  }

  private static void awaitEstablished(KubernetesClient client, List<String> crds) {
    for (String crd : crds) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd)
          .waitUntilCondition(ClusterAddons::established, 60, TimeUnit.SECONDS);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    // A CRD just created has a status without conditions for a moment.
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
