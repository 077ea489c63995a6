package io.bptemporal.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where everything of one local cluster lives (all under {@code <repo>/.cluster/}), and the fixed
 * network plan of the single node. One cluster per machine: the bridges, the node address and the
 * kubelet's ports are machine-wide, so {@link #OWNER_FILE} names the checkout whose cluster runs.
 */
public record ClusterLayout(Path repo, Path root) {
  public static final String NODE_NAME = "bpt-node";

  /** The node's (and the API server's) address, on an otherwise empty bridge: this host only. */
  public static final String NODE_IP = "10.222.0.1";

  public static final String NODE_BRIDGE = "bpt-node0";
  public static final String POD_BRIDGE = "bpt-pods0";
  public static final String POD_CIDR = "10.244.0.0/16";
  public static final String NODE_POD_SUBNET = "10.244.0.0/24";
  public static final String POD_GATEWAY = "10.244.0.1";
  public static final String SERVICE_CIDR = "10.96.0.0/12";
  public static final String API_SERVICE_IP = "10.96.0.1";
  public static final String DNS_SERVICE_IP = "10.96.0.10";
  public static final int API_PORT = 6443;
  public static final int ETCD_CLIENT_PORT = 12379;
  public static final int ETCD_PEER_PORT = 12380;
  public static final int ETCD_METRICS_PORT = 12381;
  public static final int KUBELET_HEALTHZ_PORT = 10248;
  public static final int KUBE_PROXY_HEALTHZ_PORT = 10256;
  public static final int CONTROLLER_MANAGER_PORT = 10257;
  public static final int SCHEDULER_PORT = 10259;
  public static final int PROVISIONER_HEALTHZ_PORT = 10271;
  public static final String STORAGE_CLASS = "local-path";
  public static final String PROVISIONER_NAME = "local.bp-temporal.io/hostpath";

  /**
   * Comment of the iptables rule that keeps pod traffic on this machine (also how teardown finds
   * it).
   */
  public static final String HYGIENE_COMMENT =
      "bp-temporal local cluster: pod traffic stays on this host";

  /** Machine-wide: which checkout's cluster holds the bridges and ports. */
  public static final Path OWNER_FILE = Path.of("/run/bp-temporal/local-cluster.owner");

  /** The layout of the checkout containing {@code repo} (its {@code .cluster/} directory). */
  public static ClusterLayout of(Path repo) {
    Path abs = repo.toAbsolutePath().normalize();
    return new ClusterLayout(abs, abs.resolve(".cluster"));
  }

  /**
   * The checkout: system property {@code bp.repo.dir}, else the first directory upwards holding
   * scripts/bootstrap.
   */
  public static ClusterLayout discover() {
    Optional<Path> explicit =
        Optional.ofNullable(System.getProperty("bp.repo.dir"))
            .filter(s -> !s.isBlank())
            .map(Path::of);
    if (explicit.isPresent()) {
      return of(explicit.get());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/bootstrap"))) {
        return of(dir);
      }
    }
    throw new LocalClusterException(
        "no bp-temporal checkout (a directory with scripts/bootstrap) above "
            + Path.of("").toAbsolutePath()
            + "; run from the repository or set -Dbp.repo.dir");
  }

  public Path etc() {
    return root.resolve("etc");
  }

  public Path pki() {
    return root.resolve("pki");
  }

  public Path data() {
    return root.resolve("data");
  }

  public Path run() {
    return root.resolve("run");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path state() {
    return root.resolve("state");
  }

  /** The admin kubeconfig (cluster-admin), what {@code make cluster} prints. */
  public Path kubeconfig() {
    return root.resolve("kubeconfig");
  }

  public Path containerdSocket() {
    return run().resolve("containerd.sock");
  }

  /** Written by the supervisor when a component exits on its own: the component's report. */
  public Path crashFile() {
    return logs().resolve("crash.txt");
  }

  /** Written by the supervisor once every component and add-on is ready. */
  public Path readyFile() {
    return run().resolve("ready");
  }

  public Path supervisorPidFile() {
    return run().resolve("supervisor.pid");
  }

  /** Pids of the components, one "name pid" line each, for a teardown after the supervisor died. */
  public Path componentPidFile() {
    return run().resolve("components.pids");
  }

  public Path volumes() {
    return data().resolve("volumes");
  }

  public Path tools() {
    return repo.resolve(".tools/bin");
  }

  public Path tool(String name) {
    return tools().resolve(name);
  }

  public Path imageIndex() {
    return repo.resolve(".tools/images/cluster/images.tsv");
  }

  /** containerd's runc state root for the CRI namespace (where leftover containers are found). */
  public Path runcRoot() {
    return run().resolve("runc");
  }
}
