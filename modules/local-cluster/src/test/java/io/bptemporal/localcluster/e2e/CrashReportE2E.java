package io.bptemporal.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.localcluster.ClusterLayout;
import io.bptemporal.localcluster.LocalCluster;
import io.bptemporal.localcluster.junit.ClusterEndpoints;
import io.bptemporal.localcluster.junit.LocalClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A component that dies is reported at once with its exit code and last log lines, and the next
 * {@code make cluster} (here: {@link LocalCluster#up}) brings the cluster back. Last of the suite:
 * the recovery restarts every component.
 */
@ExtendWith(LocalClusterExtension.class)
@Order(Integer.MAX_VALUE)
class CrashReportE2E {

  @Test
  void aKilledComponentIsReportedAtOnceAndTheNextUpRecovers(
      KubernetesClient client, ClusterEndpoints cluster) throws Exception {
    ClusterLayout layout = ClusterLayout.discover();
    LocalCluster local = new LocalCluster(layout);
    long pid =
        Files.readAllLines(layout.componentPidFile()).stream()
            .filter(l -> l.startsWith("kube-scheduler "))
            .mapToLong(l -> Long.parseLong(l.split(" ")[1]))
            .findFirst()
            .orElseThrow();
    ProcessHandle scheduler = ProcessHandle.of(pid).orElseThrow();
    assertThat(scheduler.info().arguments().map(java.util.List::of).orElse(java.util.List.of()))
        .as("pid %d is this cluster's scheduler", pid)
        .contains("--kubeconfig=" + layout.etc().resolve("scheduler.kubeconfig"));

    scheduler.destroyForcibly();
    Awaitility.await("a crash report for the killed kube-scheduler")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(local.crashReport())
                    .as("crash report (cluster state %s)", local.state())
                    .isPresent());
    assertThat(local.state()).isEqualTo(LocalCluster.State.CRASHED);
    assertThat(local.crashReport())
        .hasValueSatisfying(
            report ->
                assertThat(report)
                    .contains(
                        "kube-scheduler (pid "
                            + pid
                            + ") exited unexpectedly with code 137 (killed by signal 9)")
                    .contains(
                        "Last log lines (full log: "
                            + layout.logs().resolve("kube-scheduler.log")
                            + ")"));

    local.up(Duration.ofMinutes(10));
    assertThat(local.state()).isEqualTo(LocalCluster.State.RUNNING);
    assertThat(local.crashReport()).isEmpty();
    client
        .nodes()
        .withName(cluster.nodeName())
        .waitUntilCondition(
            n ->
                n != null
                    && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
            120,
            TimeUnit.SECONDS);
  }
}
