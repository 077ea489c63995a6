package io.bptemporal.localcluster;

import io.bptemporal.devstack.ChildCrash;
import io.bptemporal.devstack.DevStackException;
import io.bptemporal.devstack.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detached process that owns the cluster's components ({@code make cluster} starts it with
 * setsid and returns; {@code make cluster-down} ends it with SIGTERM). It starts them in order,
 * each waiting on its health check, and writes {@code .cluster/run/ready} when the node, DNS and
 * storage are ready. A component that exits on its own is reported at once - component, exit code,
 * last log lines - to {@code .cluster/logs/crash.txt} (what {@code make cluster} and the JUnit
 * fixture show); the others keep running so the state can be inspected. On SIGTERM it stops
 * everything in reverse and removes every pod while containerd still runs, so the CNI plugins
 * release addresses and rules.
 */
final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final ClusterLayout layout;
  private final ClusterConfigs configs;
  private final Pki pki;
  private final HostChanges host;
  private final List<Running> running = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  private record Running(String name, ManagedProcess process) {}

  Supervisor(ClusterLayout layout) {
    this.layout = layout;
    this.configs = new ClusterConfigs(layout);
    this.pki = new Pki(layout);
    this.host = new HostChanges(layout);
  }

  /** Runs until SIGTERM; the exit status is 1 when the start failed. */
  int run() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "local-cluster-stop"));
    long t0 = System.nanoTime();
    try {
      prepare();
      startAll(t0);
    } catch (RuntimeException e) {
      String report = e.getMessage();
      log.error("the local cluster did not start: {}", report);
      writeCrash("the local cluster did not start: " + report);
      return 1;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private void prepare() {
    LocalCluster.supervisor(layout)
        .filter(other -> other.pid() != ProcessHandle.current().pid())
        .ifPresent(
            other -> {
              throw new LocalClusterException(
                  "another supervisor (pid "
                      + other.pid()
                      + ") runs this cluster; run make cluster-down first");
            });
    try {
      Files.createDirectories(layout.logs());
      Files.createDirectories(layout.run());
      Files.createDirectories(layout.data());
      Files.deleteIfExists(layout.readyFile());
      Files.writeString(layout.supervisorPidFile(), ProcessHandle.current().pid() + "\n");
      // No pod runs when a supervisor starts (the previous one removed them, or the teardown did):
      // the
      // address allocations of the previous run are stale.
      deleteTree(layout.data().resolve("cni-ipam"));
    } catch (IOException e) {
      throw new LocalClusterException("cannot prepare " + layout.root() + ": " + e.getMessage(), e);
    }
    configs.renderAll();
    pki.ensure();
    host.recordBaseline();
    host.applyNetwork();
  }

  private void startAll(long t0) {
    Probes probes = new Probes(pki.caCert());
    Path etc = layout.etc();
    Path pkiDir = layout.pki();

    start(
        "etcd",
        List.of(
            "etcd",
            "--name",
            "bpt",
            "--data-dir",
            layout.data().resolve("etcd").toString(),
            "--listen-client-urls",
            "http://127.0.0.1:" + ClusterLayout.ETCD_CLIENT_PORT,
            "--advertise-client-urls",
            "http://127.0.0.1:" + ClusterLayout.ETCD_CLIENT_PORT,
            "--listen-peer-urls",
            "http://127.0.0.1:" + ClusterLayout.ETCD_PEER_PORT,
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:" + ClusterLayout.ETCD_PEER_PORT,
            "--initial-cluster",
            "bpt=http://127.0.0.1:" + ClusterLayout.ETCD_PEER_PORT,
            "--listen-metrics-urls",
            "http://127.0.0.1:" + ClusterLayout.ETCD_METRICS_PORT,
            // A throwaway development store: durability is not worth the fsync latency on a shared
            // disk.
            "--unsafe-no-fsync=true",
            "--logger=zap",
            "--log-level=warn"),
        "serving clients",
        () ->
            probes.http("http://127.0.0.1:" + ClusterLayout.ETCD_METRICS_PORT + "/health", "true"));

    start(
        "containerd",
        List.of(
            "containerd",
            "--config",
            etc.resolve("containerd.toml").toString(),
            "--log-level",
            "warn"),
        "serving CRI",
        () ->
            HostCommand.of("ctr", "--address", layout.containerdSocket().toString(), "version")
                .run()
                .ok());

    List<String> imported = new ImageImport(layout).importMissing();
    log.info("images: {}", imported.isEmpty() ? "all present" : "imported " + imported);

    start(
        "kube-apiserver",
        List.of(
            tool("kube-apiserver"),
            "--etcd-servers=http://127.0.0.1:" + ClusterLayout.ETCD_CLIENT_PORT,
            "--bind-address=" + ClusterLayout.NODE_IP,
            "--secure-port=" + ClusterLayout.API_PORT,
            "--advertise-address=" + ClusterLayout.NODE_IP,
            "--service-cluster-ip-range=" + ClusterLayout.SERVICE_CIDR,
            "--tls-cert-file=" + pkiDir.resolve("apiserver.crt"),
            "--tls-private-key-file=" + pkiDir.resolve("apiserver.key"),
            "--client-ca-file=" + pki.caCert(),
            "--kubelet-client-certificate=" + pkiDir.resolve("apiserver-kubelet-client.crt"),
            "--kubelet-client-key=" + pkiDir.resolve("apiserver-kubelet-client.key"),
            "--kubelet-preferred-address-types=InternalIP",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + pkiDir.resolve("sa.pub"),
            "--service-account-signing-key-file=" + pkiDir.resolve("sa.key"),
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction",
            "--allow-privileged=true",
            "--profiling=false",
            "--v=0"),
        "/readyz answering ok",
        () -> probes.apiServer("/readyz"));

    start(
        "kube-controller-manager",
        List.of(
            tool("kube-controller-manager"),
            "--kubeconfig=" + etc.resolve("controller-manager.kubeconfig"),
            "--authentication-kubeconfig=" + etc.resolve("controller-manager.kubeconfig"),
            "--authorization-kubeconfig=" + etc.resolve("controller-manager.kubeconfig"),
            "--bind-address=127.0.0.1",
            "--leader-elect=false",
            "--allocate-node-cidrs=true",
            "--cluster-cidr=" + ClusterLayout.POD_CIDR,
            "--node-cidr-mask-size=24",
            "--service-cluster-ip-range=" + ClusterLayout.SERVICE_CIDR,
            "--cluster-signing-cert-file=" + pki.caCert(),
            "--cluster-signing-key-file=" + pkiDir.resolve("ca.key"),
            "--root-ca-file=" + pki.caCert(),
            "--service-account-private-key-file=" + pkiDir.resolve("sa.key"),
            "--use-service-account-credentials=true",
            "--profiling=false"),
        "/healthz answering ok",
        () -> probes.loopbackHttps(ClusterLayout.CONTROLLER_MANAGER_PORT, "/healthz"));

    start(
        "kube-scheduler",
        List.of(
            tool("kube-scheduler"),
            "--kubeconfig=" + etc.resolve("scheduler.kubeconfig"),
            "--authentication-kubeconfig=" + etc.resolve("scheduler.kubeconfig"),
            "--authorization-kubeconfig=" + etc.resolve("scheduler.kubeconfig"),
            "--bind-address=127.0.0.1",
            "--leader-elect=false",
            "--profiling=false"),
        "/healthz answering ok",
        () -> probes.loopbackHttps(ClusterLayout.SCHEDULER_PORT, "/healthz"));

    applyAddons();

    start(
        "kubelet",
        List.of(
            tool("kubelet"),
            "--config=" + etc.resolve("kubelet.yaml"),
            "--kubeconfig=" + etc.resolve("kubelet.kubeconfig"),
            "--root-dir=" + layout.data().resolve("kubelet"),
            "--hostname-override=" + ClusterLayout.NODE_NAME,
            "--node-ip=" + ClusterLayout.NODE_IP),
        "/healthz answering ok",
        () ->
            probes.http(
                "http://127.0.0.1:" + ClusterLayout.KUBELET_HEALTHZ_PORT + "/healthz", "ok"));

    start(
        "kube-proxy",
        List.of(tool("kube-proxy"), "--config=" + etc.resolve("kube-proxy.yaml")),
        "/healthz answering",
        () ->
            probes.http(
                "http://127.0.0.1:" + ClusterLayout.KUBE_PROXY_HEALTHZ_PORT + "/healthz", ""));

    start(
        "provisioner",
        List.of(
            tool("bpt-local-provisioner"),
            "--kubeconfig=" + etc.resolve("provisioner.kubeconfig"),
            "--root=" + layout.volumes(),
            "--node-name=" + ClusterLayout.NODE_NAME,
            "--provisioner-name=" + ClusterLayout.PROVISIONER_NAME,
            "--healthz-address=127.0.0.1:" + ClusterLayout.PROVISIONER_HEALTHZ_PORT),
        "/healthz answering ok",
        () ->
            probes.http(
                "http://127.0.0.1:" + ClusterLayout.PROVISIONER_HEALTHZ_PORT + "/healthz", "ok"));

    awaitWhileRunning(
        "kubelet",
        "node " + ClusterLayout.NODE_NAME + " Ready",
        () ->
            kubectl(
                    "wait",
                    "--for=condition=Ready",
                    "node/" + ClusterLayout.NODE_NAME,
                    "--timeout=2s")
                .run()
                .ok());
    awaitWhileRunning(
        "kubelet",
        "CoreDNS available",
        () ->
            kubectl("-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=2s")
                .run()
                .ok());

    String summary =
        "ready in %d ms; kubeconfig %s"
            .formatted((System.nanoTime() - t0) / 1_000_000, layout.kubeconfig());
    try {
      Files.writeString(layout.readyFile(), summary + "\n");
    } catch (IOException e) {
      throw new LocalClusterException(
          "cannot write " + layout.readyFile() + ": " + e.getMessage(), e);
    }
    log.info("local cluster {}", summary);
    // From here on the supervisor only waits: give back the start-up garbage (the heap shrinks with
    // it).
    System.gc();
  }

  /**
   * kubectl apply of the add-ons (default StorageClass, its provisioner's RBAC, CoreDNS), retried
   * while RBAC bootstraps.
   */
  private void applyAddons() {
    awaitWhileRunning(
        "kube-apiserver",
        "add-ons applied",
        () -> {
          HostCommand.Result r =
              kubectl(
                      "apply",
                      "--server-side",
                      "--force-conflicts",
                      "--field-manager=bp-temporal-local-cluster",
                      "-f",
                      configs.addonsDir().toString())
                  .run();
          if (!r.ok()) {
            log.debug("kubectl apply of the add-ons: {}", r.output());
          }
          return r.ok();
        });
  }

  private HostCommand kubectl(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(tool("kubectl"), "--kubeconfig=" + layout.kubeconfig()));
    cmd.addAll(List.of(args));
    return HostCommand.of(cmd).withTimeout(Duration.ofSeconds(30));
  }

  private void awaitWhileRunning(
      String component, String what, ManagedProcess.ReadinessCheck check) {
    ManagedProcess process =
        running.stream()
            .filter(r -> r.name().equals(component))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(component + " is not running"))
            .process();
    process.awaitReady(what, START_TIMEOUT, check);
  }

  private String tool(String name) {
    Path path = layout.tool(name);
    if (!Files.isExecutable(path)) {
      throw new LocalClusterException(
          name + " not found at " + path + ": run scripts/bootstrap cluster (make cluster does)");
    }
    return path.toString();
  }

  private synchronized void start(
      String name, List<String> command, String what, ManagedProcess.ReadinessCheck ready) {
    if (stopping) {
      throw new LocalClusterException("stopping");
    }
    Path logFile = layout.logs().resolve(name + ".log");
    try {
      // One log per run of the component; the previous run's stays beside it.
      if (Files.exists(logFile)) {
        Files.move(
            logFile,
            layout.logs().resolve(name + ".previous.log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new LocalClusterException("cannot rotate " + logFile + ": " + e.getMessage(), e);
    }
    long t0 = System.nanoTime();
    ManagedProcess process =
        ManagedProcess.start(name, command, Map.of(), logFile, false, this::onCrash);
    running.add(new Running(name, process));
    writePids();
    try {
      process.awaitReady(what, START_TIMEOUT, ready);
    } catch (DevStackException e) {
      throw new LocalClusterException(e.getMessage(), e);
    }
    log.info(
        "{} ready (pid {}) in {} ms", name, process.pid(), (System.nanoTime() - t0) / 1_000_000);
  }

  private void onCrash(ChildCrash crash) {
    if (stopping) {
      return;
    }
    log.error(crash.report());
    writeCrash(crash.report());
  }

  private synchronized void writeCrash(String report) {
    try {
      Files.createDirectories(layout.logs());
      // The first report wins: later ones are usually consequences of it.
      if (!Files.exists(layout.crashFile())) {
        Files.writeString(layout.crashFile(), report + "\n");
      }
    } catch (IOException e) {
      log.error("cannot write {}: {}", layout.crashFile(), e.toString());
    }
  }

  private void writePids() {
    try {
      Files.write(
          layout.componentPidFile(),
          running.stream().map(r -> r.name() + " " + r.process().pid()).toList());
    } catch (IOException e) {
      throw new LocalClusterException(
          "cannot write " + layout.componentPidFile() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reverse order; pods are removed while containerd still runs (CNI DEL releases addresses and
   * rules).
   */
  private void stopAll() {
    List<Running> toStop;
    synchronized (this) {
      stopping = true;
      toStop = new ArrayList<>(running);
    }
    log.info("stopping the local cluster");
    for (int i = toStop.size() - 1; i >= 0; i--) {
      Running r = toStop.get(i);
      if (r.name().equals("containerd")) {
        removePods();
      }
      r.process().stop("TERM", Duration.ofSeconds(r.name().equals("containerd") ? 20 : 15));
      log.info("stopped {}", r.name());
    }
    try {
      Files.deleteIfExists(layout.readyFile());
      Files.deleteIfExists(layout.componentPidFile());
      Files.deleteIfExists(layout.supervisorPidFile());
    } catch (IOException e) {
      log.warn("cleaning {} failed: {}", layout.run(), e.toString());
    }
    stopped.countDown();
  }

  private void removePods() {
    Path crictl = layout.tool("crictl");
    if (!Files.isExecutable(crictl)) {
      return;
    }
    HostCommand.Result r =
        HostCommand.of(
                crictl.toString(),
                "--config",
                layout.etc().resolve("crictl.yaml").toString(),
                "rmp",
                "--all",
                "--force")
            .withTimeout(Duration.ofMinutes(2))
            .run();
    log.info("removed all pods: {}", r.ok() ? "ok" : r.output());
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
