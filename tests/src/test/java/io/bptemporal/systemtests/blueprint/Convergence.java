package io.bptemporal.systemtests.blueprint;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;

/**
 * When a release has converged, read from the API server as an operator would check it: the CNPG
 * Cluster healthy with all its instances, every Database applied, every Job complete, every
 * Deployment rolled out (updated, ready and available at its desired count, no old pod left). Polls
 * until then, without a hand, and names what is still missing when the time is up.
 */
final class Convergence {
  static final ResourceDefinitionContext CNPG_CLUSTER = crd("Cluster", "clusters");
  static final ResourceDefinitionContext CNPG_DATABASE = crd("Database", "databases");

  /**
   * Temporal's own pods start with the release, before CNPG has created the databases and before
   * the schema Job has installed the schema: the server checks the schema version at start and
   * exits, the schema and namespace Jobs' containers fail until the database and the frontend
   * answer, and Kubernetes restarts them with its back-off. That is the one documented kind of
   * restart (docs/chart.md): a Temporal service pod may restart only until the schema Job completed
   * (its last restart ended at most this margin later), the Jobs retry until they complete, and
   * every other pod of the release never restarts.
   */
  static final Duration SCHEMA_WAIT_MARGIN = Duration.ofSeconds(30);

  private Convergence() {}

  /** Waits until {@link #pending} is empty; returns the seconds it took from {@code startNanos}. */
  static long await(KubernetesClient client, String namespace, Duration limit, long startNanos) {
    Awaitility.await("the release in " + namespace + " converged")
        .atMost(limit)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> Assertions.assertThat(pending(client, namespace)).as("still pending").isEmpty());
    return Math.round((System.nanoTime() - startNanos) / 1e9);
  }

  /** What is not converged yet, one line each; empty when the release is. */
  static List<String> pending(KubernetesClient client, String namespace) {
    List<String> pending = new ArrayList<>();
    List<GenericKubernetesResource> clusters =
        client.genericKubernetesResources(CNPG_CLUSTER).inNamespace(namespace).list().getItems();
    for (GenericKubernetesResource cluster : clusters) {
      Map<String, Object> status = map(cluster.getAdditionalProperties().get("status"));
      Object wanted = map(cluster.getAdditionalProperties().get("spec")).get("instances");
      if (!"Cluster in healthy state".equals(status.get("phase"))
          || !Objects.equals(wanted, status.get("readyInstances"))) {
        pending.add(
            "CNPG Cluster "
                + name(cluster)
                + ": "
                + status.get("phase")
                + ", ready "
                + status.get("readyInstances")
                + "/"
                + wanted);
      }
    }
    for (GenericKubernetesResource database :
        client.genericKubernetesResources(CNPG_DATABASE).inNamespace(namespace).list().getItems()) {
      Map<String, Object> status = map(database.getAdditionalProperties().get("status"));
      if (!Boolean.TRUE.equals(status.get("applied"))) {
        pending.add(
            "CNPG Database "
                + name(database)
                + ": not applied "
                + Objects.toString(status.get("message"), ""));
      }
    }
    for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
      Integer succeeded = job.getStatus() == null ? null : job.getStatus().getSucceeded();
      if (succeeded == null || succeeded < 1) {
        pending.add("Job " + job.getMetadata().getName() + ": not complete");
      }
    }
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      var s = d.getStatus();
      boolean done =
          s != null
              && s.getObservedGeneration() != null
              && s.getObservedGeneration() >= d.getMetadata().getGeneration()
              && eq(s.getUpdatedReplicas(), wanted)
              && eq(s.getReadyReplicas(), wanted)
              && eq(s.getAvailableReplicas(), wanted)
              && eq(s.getReplicas(), wanted);
      if (!done) {
        pending.add(
            "Deployment "
                + d.getMetadata().getName()
                + ": "
                + (s == null
                    ? "no status"
                    : "updated "
                        + s.getUpdatedReplicas()
                        + ", ready "
                        + s.getReadyReplicas()
                        + ", total "
                        + s.getReplicas()
                        + " of "
                        + wanted));
      }
    }
    if (clusters.isEmpty()
        && client.apps().deployments().inNamespace(namespace).list().getItems().isEmpty()) {
      pending.add("nothing of the release exists yet in namespace " + namespace);
    }
    return pending;
  }

  /** Restarts per pod (containers and init containers), by pod name. */
  static Map<String, Integer> restarts(KubernetesClient client, String namespace) {
    Map<String, Integer> restarts = new TreeMap<>();
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      if (pod.getStatus() == null) {
        continue;
      }
      int sum =
          Stream.concat(
                  pod.getStatus().getContainerStatuses().stream(),
                  pod.getStatus().getInitContainerStatuses().stream())
              .map(ContainerStatus::getRestartCount)
              .filter(Objects::nonNull)
              .mapToInt(Integer::intValue)
              .sum();
      restarts.put(pod.getMetadata().getName(), sum);
    }
    return restarts;
  }

  /**
   * Pods that may restart while the schema is not there yet: upstream's Temporal service pods and
   * its namespace Job (whose init containers call the frontend).
   */
  static boolean waitsForTheSchema(String pod) {
    return Stream.of(
            "bp-temporal-frontend-",
            "bp-temporal-history-",
            "bp-temporal-matching-",
            "bp-temporal-worker-",
            "bp-temporal-namespace-",
            "bp-temporal-schema-")
        .anyMatch(pod::startsWith);
  }

  /**
   * Restarts that break the rule of {@link #SCHEMA_WAIT_MARGIN}: any restart of a pod that does not
   * wait for the schema, and a restart of one that does whose container ended after the schema Job
   * had completed.
   */
  static List<String> unexpectedRestarts(KubernetesClient client, String namespace) {
    Instant schemaDone =
        client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
            .filter(j -> j.getMetadata().getName().startsWith("bp-temporal-schema-"))
            .map(j -> j.getStatus() == null ? null : j.getStatus().getCompletionTime())
            .filter(Objects::nonNull)
            .map(Instant::parse)
            .findFirst()
            .orElse(Instant.MAX);
    List<String> unexpected = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      if (pod.getStatus() == null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (ContainerStatus c :
          Stream.concat(
                  pod.getStatus().getContainerStatuses().stream(),
                  pod.getStatus().getInitContainerStatuses().stream())
              .toList()) {
        if (c.getRestartCount() == null || c.getRestartCount() == 0) {
          continue;
        }
        var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
        Instant ended = lastRestart(c, last);
        if (name.startsWith("bp-temporal-schema-") || name.startsWith("bp-temporal-namespace-")) {
          // A Job's retries (its pods wait for the database, the namespace Job's for the frontend,
          // which comes up
          // only after the schema): allowed, since convergence requires the Job to have completed.
          continue;
        }
        if (!waitsForTheSchema(name)) {
          unexpected.add(
              name
                  + "/"
                  + c.getName()
                  + ": "
                  + c.getRestartCount()
                  + " restart(s), last ended "
                  + ended
                  + (last == null
                      ? ""
                      : " (" + last.getReason() + ", exit " + last.getExitCode() + ")"));
        } else if (ended.isAfter(schemaDone.plus(SCHEMA_WAIT_MARGIN))) {
          unexpected.add(
              name
                  + "/"
                  + c.getName()
                  + ": restarted after the schema Job completed at "
                  + schemaDone
                  + " (last ended "
                  + ended
                  + ", "
                  + (last == null ? "" : last.getReason() + ", exit " + last.getExitCode())
                  + ")");
        }
      }
    }
    return unexpected;
  }

  /**
   * When the container last restarted: its previous instance's end, or, when the kubelet no longer
   * reports that instance (its record can be gone after container garbage collection, seen on a CI
   * run with 4 restarts and an empty {@code lastState}), the start of the instance running now,
   * which began right after it. {@link Instant#MAX} when neither is known: counted as late.
   */
  private static Instant lastRestart(ContainerStatus c, ContainerStateTerminated last) {
    if (last != null && last.getFinishedAt() != null) {
      return Instant.parse(last.getFinishedAt());
    }
    var running = c.getState() == null ? null : c.getState().getRunning();
    if (running != null && running.getStartedAt() != null) {
      return Instant.parse(running.getStartedAt());
    }
    return Instant.MAX;
  }

  private static boolean eq(Integer value, int wanted) {
    return value != null && value == wanted;
  }

  private static String name(GenericKubernetesResource resource) {
    return resource.getMetadata().getName();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static ResourceDefinitionContext crd(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("postgresql.cnpg.io")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
