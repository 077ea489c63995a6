package io.bptemporal.localcluster.junit;

import io.bptemporal.localcluster.ClusterLayout;
import io.bptemporal.localcluster.LocalCluster;
import io.bptemporal.localcluster.LocalClusterException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives e2e tests the real local cluster: {@code @ExtendWith(LocalClusterExtension.class)}, then
 * take a {@link ClusterEndpoints} and/or a {@link KubernetesClient} (Fabric8, admin) parameter.
 * Reuses the running cluster of this checkout or starts it exactly as {@code make cluster} does;
 * the cluster outlives the test JVM ({@code make e2e} stops it again when it started it). A
 * component that died fails every following test with its report (component, exit code, last log
 * lines).
 */
public final class LocalClusterExtension implements ParameterResolver, BeforeEachCallback {
  private static final Logger log = LoggerFactory.getLogger(LocalClusterExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ClusterEndpoints.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Shared shared = shared(context);
    return parameter.getParameter().getType() == KubernetesClient.class
        ? shared.client
        : shared.endpoints;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    shared(context).failIfCrashed();
  }

  private static Shared shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, k -> Shared.open(), Shared.class);
  }

  /**
   * One per test JVM; JUnit closes it (the client, not the cluster) when the JVM's tests are done.
   */
  static final class Shared implements AutoCloseable {
    private final LocalCluster cluster;
    private final ClusterEndpoints endpoints;
    private final KubernetesClient client;

    private Shared(LocalCluster cluster, ClusterEndpoints endpoints, KubernetesClient client) {
      this.cluster = cluster;
      this.endpoints = endpoints;
      this.client = client;
    }

    static Shared open() {
      ClusterLayout layout = ClusterLayout.discover();
      LocalCluster cluster = new LocalCluster(layout);
      long t0 = System.nanoTime();
      cluster.up(Duration.ofMinutes(10));
      log.info(
          "local cluster ready for the tests after {} ms", (System.nanoTime() - t0) / 1_000_000);
      ClusterEndpoints endpoints =
          new ClusterEndpoints(
              layout.kubeconfig(),
              layout.tool("kubectl"),
              layout.tool("helm"),
              layout.tool("crictl"),
              layout.etc().resolve("crictl.yaml"),
              ClusterLayout.NODE_NAME,
              ClusterLayout.NODE_IP,
              layout.imageIndex());
      try {
        Config config = Config.fromKubeconfig(Files.readString(layout.kubeconfig()));
        return new Shared(
            cluster, endpoints, new KubernetesClientBuilder().withConfig(config).build());
      } catch (IOException e) {
        throw new LocalClusterException(
            "cannot read " + layout.kubeconfig() + ": " + e.getMessage(), e);
      }
    }

    void failIfCrashed() {
      cluster
          .crashReport()
          .ifPresent(
              report -> {
                throw new LocalClusterException("the local cluster lost a component: " + report);
              });
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
