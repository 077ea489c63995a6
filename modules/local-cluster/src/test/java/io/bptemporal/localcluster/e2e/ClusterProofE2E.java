package io.bptemporal.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.localcluster.ImageReference;
import io.bptemporal.localcluster.junit.ClusterEndpoints;
import io.bptemporal.localcluster.junit.LocalClusterExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proof that the local cluster is a real one: scheduling, Services and cluster DNS between pods,
 * Jobs, dynamically provisioned volumes that outlive their pod, hardened pods, and the images of
 * the factory in the node's containerd. Each test works in its own namespace and waits on
 * conditions, never on time.
 */
@ExtendWith(LocalClusterExtension.class)
@Order(1)
class ClusterProofE2E {

  @Test
  void theNodeIsReadyAndRunsTheVersionItWasBuiltAt(
      KubernetesClient client, ClusterEndpoints cluster) {
    Node node = client.nodes().withName(cluster.nodeName()).get();
    assertThat(node.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.34.2");
    assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .startsWith("containerd://");
    assertThat(node.getStatus().getAddresses())
        .anySatisfy(a -> assertThat(a.getAddress()).isEqualTo(cluster.nodeIp()));
  }

  @Test
  void aDeploymentBehindAServiceAnswersAnotherPodByDnsName(
      KubernetesClient client, ClusterEndpoints cluster) {
    try (TestNamespace ns = new TestNamespace(client, "proof-svc", cluster.imageIndex())) {
      ns.create(
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            replicas: 2
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec:
                containers:
                - name: httpd
                  image: ${BUSYBOX}
                  imagePullPolicy: IfNotPresent
                  command: [httpd, -f, -p, "8080", -h, /www]
                  ports: [{containerPort: 8080}]
                  readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
          """);
      ns.create(
          """
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec:
            selector: {app: web}
            ports: [{port: 80, targetPort: 8080}]
          """);
      client
          .apps()
          .deployments()
          .inNamespace(ns.name)
          .withName("web")
          .waitUntilCondition(
              d ->
                  d.getStatus() != null
                      && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
              120,
              TimeUnit.SECONDS);
      // Full name and search-path short name, both through CoreDNS and kube-proxy's Service rules.
      ns.create(
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: client}
          spec:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                containers:
                - name: wget
                  image: ${BUSYBOX}
                  imagePullPolicy: IfNotPresent
                  command: [sh, -c, "timeout 10 wget -qO- http://web.${NS}.svc.cluster.local/ && timeout 10 wget -qO- http://web/ && nslookup web.${NS}.svc.cluster.local"]
          """);
      Job job = ns.awaitJobEnded("client", 120);
      String log = ns.jobLog("client");
      assertThat(job.getStatus().getSucceeded()).as("client job; its log:%n%s", log).isEqualTo(1);
      String clusterIp =
          client.services().inNamespace(ns.name).withName("web").get().getSpec().getClusterIP();
      assertThat(log)
          .containsSubsequence(
              "hello from bp-temporal busybox", "hello from bp-temporal busybox", clusterIp);
    }
  }

  @Test
  void aJobRunsToCompletion(KubernetesClient client, ClusterEndpoints cluster) {
    try (TestNamespace ns = new TestNamespace(client, "proof-job", cluster.imageIndex())) {
      ns.create(
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: once}
          spec:
            completions: 2
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                containers:
                - {name: c, image: "${BUSYBOX}", imagePullPolicy: IfNotPresent, command: [sh, -c, "echo job-ran-on-$(hostname)"]}
          """);
      Job job =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(ns.name)
              .withName("once")
              .waitUntilCondition(
                  j ->
                      j.getStatus() != null
                          && j.getStatus().getConditions() != null
                          && j.getStatus().getConditions().stream()
                              .anyMatch(
                                  c ->
                                      List.of("Complete", "Failed").contains(c.getType())
                                          && "True".equals(c.getStatus())),
                  120,
                  TimeUnit.SECONDS);
      assertThat(job.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType()).isEqualTo("Complete"));
      assertThat(job.getStatus().getSucceeded()).isEqualTo(2);
      assertThat(ns.jobLog("once")).contains("job-ran-on-once-");
    }
  }

  @Test
  void aVolumeOfTheDefaultStorageClassKeepsItsDataAcrossAPodDelete(
      KubernetesClient client, ClusterEndpoints cluster) {
    String token = UUID.randomUUID().toString();
    String pvName;
    try (TestNamespace ns = new TestNamespace(client, "proof-pvc", cluster.imageIndex())) {
      ns.create(
          """
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata: {name: data}
          spec:
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 64Mi}}
          """);
      String pod =
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: %s}
          spec:
            restartPolicy: Never
            securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000}
            containers:
            - name: c
              image: ${BUSYBOX}
              imagePullPolicy: IfNotPresent
              command: [sh, -c, "%s"]
              volumeMounts: [{name: data, mountPath: /data}]
            volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
          """;
      ns.create(pod.formatted("writer", "echo " + token + " > /data/token && sync"));
      Pod writer = ns.awaitPodEnded("writer", 120);
      assertThat(writer.getStatus().getPhase())
          .as("writer log: %s", ns.podLog("writer"))
          .isEqualTo("Succeeded");
      client.pods().inNamespace(ns.name).withName("writer").delete();
      client
          .pods()
          .inNamespace(ns.name)
          .withName("writer")
          .waitUntilCondition(p -> p == null, 60, TimeUnit.SECONDS);

      ns.create(pod.formatted("reader", "cat /data/token"));
      Pod reader = ns.awaitPodEnded("reader", 120);
      assertThat(reader.getStatus().getPhase()).isEqualTo("Succeeded");
      assertThat(ns.podLog("reader")).contains(token);

      PersistentVolumeClaim claim =
          client.persistentVolumeClaims().inNamespace(ns.name).withName("data").get();
      assertThat(claim.getSpec().getStorageClassName())
          .as("the default StorageClass was applied")
          .isEqualTo("local-path");
      pvName = claim.getSpec().getVolumeName();
      PersistentVolume pv = client.persistentVolumes().withName(pvName).get();
      assertThat(pv.getMetadata().getAnnotations())
          .containsEntry("pv.kubernetes.io/provisioned-by", "local.bp-temporal.io/hostpath");
      assertThat(pv.getSpec().getLocal().getPath()).endsWith("/.cluster/data/volumes/" + pvName);
      assertThat(java.nio.file.Path.of(pv.getSpec().getLocal().getPath()).resolve("token"))
          .hasContent(token);
    }
    // Reclaim policy Delete: the claim goes with its namespace, then the volume and its directory.
    client
        .persistentVolumes()
        .withName(pvName)
        .waitUntilCondition(pv -> pv == null, 120, TimeUnit.SECONDS);
    assertThat(cluster.kubeconfig().getParent().resolve("data/volumes").resolve(pvName))
        .doesNotExist();
  }

  @Test
  void aHardenedPodRunsNonRootWithAReadOnlyRootAndNoCapabilities(
      KubernetesClient client, ClusterEndpoints cluster) {
    try (TestNamespace ns = new TestNamespace(client, "proof-secure", cluster.imageIndex())) {
      ns.create(
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: hardened}
          spec:
            restartPolicy: Never
            securityContext:
              runAsNonRoot: true
              runAsUser: 65534
              runAsGroup: 65534
              seccompProfile: {type: RuntimeDefault}
            containers:
            - name: c
              image: ${BUSYBOX}
              imagePullPolicy: IfNotPresent
              command: [sh, -c, "echo uid=$(id -u); if touch /probe 2>/dev/null; then echo root-writable; else echo root-read-only; fi; echo ok > /scratch/f && cat /scratch/f; grep -E '^Cap(Eff|Prm)' /proc/self/status; grep NoNewPrivs /proc/self/status"]
              securityContext:
                readOnlyRootFilesystem: true
                allowPrivilegeEscalation: false
                capabilities: {drop: [ALL]}
              volumeMounts: [{name: scratch, mountPath: /scratch}]
            volumes: [{name: scratch, emptyDir: {}}]
          """);
      Pod pod = ns.awaitPodEnded("hardened", 120);
      String log = ns.podLog("hardened");
      assertThat(pod.getStatus().getPhase()).as("log: %s", log).isEqualTo("Succeeded");
      assertThat(log)
          .contains("uid=65534", "root-read-only", "ok")
          .doesNotContain("root-writable")
          .containsPattern("CapEff:\\s+0000000000000000")
          .containsPattern("CapPrm:\\s+0000000000000000")
          .containsPattern("NoNewPrivs:\\s+1");
    }
  }

  @Test
  void everyImageOfTheFactoryIsInTheNodesContainerdUnderItsExactReference(ClusterEndpoints cluster)
      throws Exception {
    Process crictl =
        new ProcessBuilder(cluster.crictlCommand("images", "-o", "json"))
            .redirectErrorStream(true)
            .start();
    String json = new String(crictl.getInputStream().readAllBytes());
    assertThat(crictl.waitFor()).as(json).isZero();
    List<String> expected =
        Files.readAllLines(cluster.imageIndex()).stream()
            .map(l -> l.split("\t")[0])
            .map(ImageReference::normalise)
            .toList();
    assertThat(expected)
        .as("the image factory's index")
        .anyMatch(r -> r.equals("docker.io/temporalio/server:1.31.2"))
        .anyMatch(r -> r.equals("docker.io/temporalio/admin-tools:1.31.2"))
        .anyMatch(r -> r.startsWith("docker.io/temporalio/ui:"))
        .anyMatch(r -> r.equals("ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0"))
        .anyMatch(r -> r.startsWith("ghcr.io/cloudnative-pg/postgresql:15."));
    for (String ref : expected) {
      assertThat(json).as("crictl images lists %s", ref).contains("\"" + ref + "\"");
    }
  }
}
