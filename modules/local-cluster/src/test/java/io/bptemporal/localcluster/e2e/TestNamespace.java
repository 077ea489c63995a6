package io.bptemporal.localcluster.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A namespace of one test, deleted afterwards; manifests are YAML text with {@code ${NS}} and
 * {@code ${BUSYBOX}}.
 */
final class TestNamespace implements AutoCloseable {
  private final KubernetesClient client;
  final String name;
  final String busybox;

  TestNamespace(KubernetesClient client, String prefix, Path imageIndex) {
    this.client = client;
    this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.busybox = imageReference(imageIndex, "bp-temporal.local/busybox:");
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    // A new namespace has no 'default' ServiceAccount for a moment, and pods are refused until it
    // exists.
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
  }

  /**
   * The reference of the index entry starting with {@code prefix} (scripts/build-cluster-images
   * wrote it).
   */
  static String imageReference(Path imageIndex, String prefix) {
    try {
      List<String> refs =
          Files.readAllLines(imageIndex).stream()
              .map(l -> l.split("\t")[0])
              .filter(r -> r.startsWith(prefix))
              .toList();
      if (refs.size() != 1) {
        throw new IllegalStateException(
            "expected one image starting with " + prefix + " in " + imageIndex + ", found " + refs);
      }
      return refs.getFirst();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + imageIndex, e);
    }
  }

  HasMetadata create(String yaml) {
    return client
        .resource(yaml.replace("${NS}", name).replace("${BUSYBOX}", busybox))
        .inNamespace(name)
        .create();
  }

  /** Waits until the pod ended (Succeeded or Failed) and returns it. */
  Pod awaitPodEnded(String pod, int seconds) {
    return client
        .pods()
        .inNamespace(name)
        .withName(pod)
        .waitUntilCondition(
            p ->
                p != null
                    && p.getStatus() != null
                    && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()),
            seconds,
            TimeUnit.SECONDS);
  }

  Job awaitJobEnded(String job, int seconds) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(name)
        .withName(job)
        .waitUntilCondition(
            j ->
                j != null
                    && j.getStatus() != null
                    && ((j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() > 0)
                        || (j.getStatus().getFailed() != null && j.getStatus().getFailed() > 0)),
            seconds,
            TimeUnit.SECONDS);
  }

  String podLog(String pod) {
    return client.pods().inNamespace(name).withName(pod).getLog();
  }

  String jobLog(String job) {
    return client.batch().v1().jobs().inNamespace(name).withName(job).getLog();
  }

  /**
   * Deletes the namespace and waits until it is gone, so no test leaves work behind for the next
   * one.
   */
  @Override
  public void close() {
    client.namespaces().withName(name).delete();
    client.namespaces().withName(name).waitUntilCondition(n -> n == null, 180, TimeUnit.SECONDS);
  }
}
