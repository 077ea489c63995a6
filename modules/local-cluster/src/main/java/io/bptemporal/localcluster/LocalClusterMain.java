package io.bptemporal.localcluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code make cluster} ({@code up}), {@code make cluster-down} ({@code down [--purge]}), {@code
 * status}, and the detached supervisor ({@code supervise <repo>}, started by {@code up}).
 */
public final class LocalClusterMain {
  private LocalClusterMain() {}

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", "io/bptemporal/localcluster/logback-local-cluster.xml");
    }
    String command = args.length == 0 ? "up" : args[0];
    try {
      System.exit(
          switch (command) {
            case "up" -> up();
            case "down" -> down(List.of(args).contains("--purge"));
            case "status" -> status();
            case "supervise" -> {
              // The supervisor's probes talk to loopback and the cluster's own API server only; the
              // controller
              // manager's and scheduler's self-signed loopback certificates name no address to
              // verify.
              System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
              yield new Supervisor(ClusterLayout.of(Path.of(args[1]))).run();
            }
            default -> {
              System.err.println("usage: LocalClusterMain up | down [--purge] | status");
              yield 2;
            }
          });
    } catch (LocalClusterException e) {
      System.err.println("local cluster: " + e.getMessage());
      System.exit(1);
    }
  }

  private static int up() {
    LocalCluster cluster = new LocalCluster(ClusterLayout.discover());
    long t0 = System.nanoTime();
    cluster.up(Duration.ofMinutes(10));
    Path kubeconfig = cluster.layout().kubeconfig();
    System.out.printf(
        "local cluster ready (%.1f s). Kubeconfig: %s%n",
        (System.nanoTime() - t0) / 1e9, kubeconfig);
    System.out.printf(
        "  export KUBECONFIG=%s%n  %s get nodes%n", kubeconfig, cluster.layout().tool("kubectl"));
    return 0;
  }

  private static int down(boolean purge) {
    ClusterLayout layout = ClusterLayout.discover();
    long t0 = System.nanoTime();
    List<String> left = new Teardown(layout).run(purge);
    if (!left.isEmpty()) {
      System.err.println(
          "local cluster: the teardown left these behind:\n  " + String.join("\n  ", left));
      return 1;
    }
    System.out.printf(
        "local cluster down (%.1f s): no process, mount, bridge, route, iptables rule or cgroup of it is left%s%n",
        (System.nanoTime() - t0) / 1e9,
        purge ? "; " + layout.root() + " deleted" : "; its data stays in " + layout.root());
    return 0;
  }

  /**
   * Exit 0 when running and healthy, 3 when stopped, 1 when a component crashed or it is still
   * starting.
   */
  private static int status() {
    LocalCluster cluster = new LocalCluster(ClusterLayout.discover());
    LocalCluster.State state = cluster.state();
    System.out.println(
        "local cluster: "
            + state.name().toLowerCase(java.util.Locale.ROOT)
            + (state == LocalCluster.State.RUNNING
                ? " (kubeconfig " + cluster.layout().kubeconfig() + ")"
                : ""));
    cluster.crashReport().ifPresent(System.out::println);
    return switch (state) {
      case RUNNING -> 0;
      case STOPPED -> 3;
      default -> 1;
    };
  }
}
