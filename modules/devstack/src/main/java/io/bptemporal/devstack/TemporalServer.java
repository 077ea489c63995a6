package io.bptemporal.devstack;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Temporal server (all four services in one process) started from the project's own config file
 * ({@code temporal-server.yaml}, a Go template the server renders from DEVSTACK_* variables).
 */
final class TemporalServer implements AutoCloseable {
  private final ManagedProcess process;

  private TemporalServer(ManagedProcess process) {
    this.process = process;
  }

  static TemporalServer start(
      DevStackConfig config,
      PostgresEndpoint postgres,
      String dbPassword,
      Optional<StackTls> tls,
      Optional<StackAuth> auth,
      Consumer<ChildCrash> onCrash) {
    Path binary = config.tools().require(ToolLocator.Tool.TEMPORAL_SERVER);
    Path dir = config.workDir().resolve("temporal");
    Path configFile = dir.resolve("temporal-server.yaml");
    Path dynamicConfig = dir.resolve("dynamicconfig.yaml");
    copyResource("temporal-server.yaml", configFile);
    copyResource("dynamicconfig.yaml", dynamicConfig);

    StackPorts p = config.ports();
    Map<String, String> env = new HashMap<>();
    env.put("DEVSTACK_POSTGRES_PORT", Integer.toString(postgres.port()));
    env.put("DEVSTACK_TEMPORAL_DB_USER", DevStackConfig.TEMPORAL_DB_USER);
    env.put("DEVSTACK_TEMPORAL_DB_PASSWORD", dbPassword);
    env.put("DEVSTACK_FRONTEND_PORT", Integer.toString(p.frontend()));
    env.put("DEVSTACK_FRONTEND_HTTP_PORT", Integer.toString(p.frontendHttp()));
    env.put("DEVSTACK_FRONTEND_MEMBERSHIP_PORT", Integer.toString(p.frontendMembership()));
    env.put("DEVSTACK_HISTORY_PORT", Integer.toString(p.history()));
    env.put("DEVSTACK_HISTORY_MEMBERSHIP_PORT", Integer.toString(p.historyMembership()));
    env.put("DEVSTACK_MATCHING_PORT", Integer.toString(p.matching()));
    env.put("DEVSTACK_MATCHING_MEMBERSHIP_PORT", Integer.toString(p.matchingMembership()));
    env.put("DEVSTACK_WORKER_PORT", Integer.toString(p.worker()));
    env.put("DEVSTACK_WORKER_MEMBERSHIP_PORT", Integer.toString(p.workerMembership()));
    env.put("DEVSTACK_SERVER_METRICS_PORT", Integer.toString(p.serverMetrics()));
    env.put("DEVSTACK_DYNAMIC_CONFIG_FILE", dynamicConfig.toString());
    tls.ifPresent(
        ca -> {
          StackTls.CertFiles server = ca.server();
          env.put("DEVSTACK_TLS_CA_FILE", ca.caFile().toString());
          env.put("DEVSTACK_TLS_SERVER_CERT", server.certFile().toString());
          env.put("DEVSTACK_TLS_SERVER_KEY", server.keyFile().toString());
        });
    List<String> services = List.of();
    if (auth.isPresent()) {
      env.put("DEVSTACK_JWKS_URI", auth.get().jwksUri().toString());
      // Ports of the internal frontend: found by membership, never dialled from outside the
      // server, so any free ones (new at every start is fine).
      env.put("DEVSTACK_INTERNAL_FRONTEND_PORT", Integer.toString(StackPorts.freePort()));
      env.put("DEVSTACK_INTERNAL_FRONTEND_HTTP_PORT", Integer.toString(StackPorts.freePort()));
      env.put(
          "DEVSTACK_INTERNAL_FRONTEND_MEMBERSHIP_PORT", Integer.toString(StackPorts.freePort()));
      // The server starts only the four default services unless told otherwise.
      services =
          List.of(
              "--service", "frontend",
              "--service", "internal-frontend",
              "--service", "history",
              "--service", "matching",
              "--service", "worker");
    }
    String level = System.getenv("DEVSTACK_TEMPORAL_LOG_LEVEL");
    env.put("DEVSTACK_TEMPORAL_LOG_LEVEL", level == null || level.isBlank() ? "warn" : level);

    List<String> command = new ArrayList<>();
    command.addAll(List.of(binary.toString(), "--config-file", configFile.toString()));
    if (auth.isEmpty()) {
      // Without an authorizer the server wants to be told that it is on purpose.
      command.add("--allow-no-auth");
    }
    command.add("start");
    command.addAll(services);
    ManagedProcess child =
        ManagedProcess.start(
            "temporal-server",
            command,
            env,
            config.workDir().resolve("logs").resolve("temporal-server.log"),
            config.echoLogs(),
            onCrash);
    String address = "127.0.0.1:" + p.frontend();
    // The health check needs no token (the authorizer always lets it through), but a certificate.
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    tls.ifPresent(
        ca -> options.setSslContext(StackEndpoints.sslContext(ca, ca.client("devstack"))));
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      child.awaitReady(
          "the frontend answering health checks on " + address,
          Duration.ofSeconds(120),
          () -> stubs.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      stubs.shutdownNow();
    }
    return new TemporalServer(child);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.stop("TERM", Duration.ofSeconds(20));
  }

  /** SIGKILL: no graceful shutdown, whatever the server had not yet written is lost. */
  void kill() {
    process.close();
  }

  static void copyResource(String name, Path target) {
    try (InputStream in = TemporalServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new DevStackException("resource " + name + " is missing from the devstack jar");
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new DevStackException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
