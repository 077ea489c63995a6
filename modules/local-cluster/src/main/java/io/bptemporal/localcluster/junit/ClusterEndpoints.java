package io.bptemporal.localcluster.junit;

import java.nio.file.Path;
import java.util.List;

/**
 * What a test needs to use the local cluster: its admin kubeconfig, the pinned kubectl, helm and crictl
 * binaries (with the flags that point them at this cluster), and the node.
 */
public record ClusterEndpoints(Path kubeconfig, Path kubectl, Path helm, Path crictl, Path crictlConfig,
    String nodeName, String nodeIp, Path imageIndex) {

  /** {@code kubectl --kubeconfig <this cluster> args...}. */
  public List<String> kubectlCommand(String... args) {
    return prefixed(List.of(kubectl.toString(), "--kubeconfig=" + kubeconfig), args);
  }

  /** {@code helm --kubeconfig <this cluster> args...}. */
  public List<String> helmCommand(String... args) {
    return prefixed(List.of(helm.toString(), "--kubeconfig", kubeconfig.toString()), args);
  }

  /** {@code crictl --config <this node's containerd> args...}. */
  public List<String> crictlCommand(String... args) {
    return prefixed(List.of(crictl.toString(), "--config", crictlConfig.toString()), args);
  }

  private static List<String> prefixed(List<String> head, String... args) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(args));
    return List.copyOf(all);
  }
}
