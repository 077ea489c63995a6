package io.bptemporal.systemtests.blueprint;

import io.bptemporal.localcluster.junit.ClusterEndpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pinned helm against the local cluster, with its config, cache and registry login kept under
 * the suite's work directory (never the user's ~/.config/helm). Every call fails with helm's output
 * when helm does.
 */
final class Helm {
  private final ClusterEndpoints cluster;
  private final Map<String, String> env;

  Helm(ClusterEndpoints cluster, Path home) {
    this.cluster = cluster;
    this.env =
        Map.of(
            "HELM_CONFIG_HOME",
            home.resolve("config").toString(),
            "HELM_CACHE_HOME",
            home.resolve("cache").toString(),
            "HELM_DATA_HOME",
            home.resolve("data").toString());
  }

  String run(String... args) {
    return cluster.run(cluster.helmCommand(args), env);
  }

  String run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  static List<String> valuesArgs(List<Path> files) {
    List<String> args = new ArrayList<>();
    for (Path file : files) {
      args.add("-f");
      args.add(file.toString());
    }
    return args;
  }
}
