package io.bptemporal.devstack;

import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.contracts.naming.Namespaces;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the local stack starts and where. Read once per process: {@link #fromEnvironment} for {@code
 * make run}, {@link #forTests} for the JUnit extension.
 *
 * @param workDir PostgreSQL data, rendered configs and logs of this stack
 * @param deleteOnClose whether {@code workDir} is removed when the stack stops
 * @param postgresPassword password of the PostgreSQL superuser {@code postgres} (development only)
 * @param echoLogs whether child output is echoed to the console (besides the log files)
 * @param existingPostgres a PostgreSQL to use instead of starting one ({@code DEVSTACK_JDBC_URL})
 * @param existingTemporal a Temporal server to use instead of starting one ({@code
 *     TEMPORAL_ADDRESS})
 * @param existingKafka bootstrap servers of a Kafka cluster to use instead of starting a broker
 *     ({@code KAFKA_BOOTSTRAP_SERVERS}, host:port[,host:port…])
 * @param tls mutual TLS on the server the stack starts, with a throwaway CA ({@code DEVSTACK_TLS})
 * @param auth the server's JWT claim mapper and default authorizer, with a JWKS served by the stack
 *     ({@code DEVSTACK_AUTH}; implies {@code tls}: a bearer token never travels in clear text)
 */
public record DevStackConfig(
    StackPorts ports,
    Path workDir,
    boolean deleteOnClose,
    String postgresPassword,
    List<NamespaceSpec> namespaces,
    boolean echoLogs,
    ToolLocator tools,
    Optional<PostgresEndpoint> existingPostgres,
    Optional<ExistingTemporal> existingTemporal,
    Optional<String> existingKafka,
    boolean tls,
    boolean auth) {

  static final String TEMPORAL_DB_USER = "temporal";

  public DevStackConfig {
    tls = tls || auth;
    if (tls && existingTemporal.isPresent()) {
      throw new DevStackException(
          "DEVSTACK_TLS/DEVSTACK_AUTH configure the Temporal server the stack starts; with"
              + " TEMPORAL_ADDRESS the stack starts none: unset one or the other");
    }
  }

  /** The same configuration with TLS and authorization switched as given. */
  public DevStackConfig withSecurity(boolean tls, boolean auth) {
    return new DevStackConfig(
        ports,
        workDir,
        deleteOnClose,
        postgresPassword,
        namespaces,
        echoLogs,
        this.tools,
        existingPostgres,
        existingTemporal,
        existingKafka,
        tls,
        auth);
  }

  /**
   * {@code make run}: well-known ports (each overridable with {@code DEVSTACK_<NAME>_PORT}), state
   * under {@code DEVSTACK_DIR} (default {@code .dev/} of the repository), wiped at every start.
   */
  public static DevStackConfig fromEnvironment(Function<String, String> env) {
    ToolLocator tools = ToolLocator.discover();
    Path repoRoot = tools.toolsDir().getParent();
    Path workDir =
        env.apply("DEVSTACK_DIR") != null
            ? Path.of(env.apply("DEVSTACK_DIR"))
            : repoRoot.resolve(".dev");
    String password =
        env.apply("DEVSTACK_POSTGRES_PASSWORD") != null
            ? env.apply("DEVSTACK_POSTGRES_PASSWORD")
            : "postgres";
    return new DevStackConfig(
        StackPorts.developerDefaults().withOverrides(env),
        workDir.toAbsolutePath(),
        false,
        password,
        Namespaces.ALL,
        "true".equalsIgnoreCase(env.apply("DEVSTACK_ECHO_LOGS")),
        tools,
        ExistingServices.postgres(env),
        ExistingServices.temporal(env),
        ExistingServices.kafka(env),
        "true".equalsIgnoreCase(env.apply("DEVSTACK_TLS")),
        "true".equalsIgnoreCase(env.apply("DEVSTACK_AUTH")));
  }

  /**
   * Integration tests: free ports, a temporary directory removed afterwards, quiet children;
   * existing services given by the environment are used instead of local ones.
   */
  public static DevStackConfig forTests(
      ToolLocator tools, Path workDir, Function<String, String> env) {
    return new DevStackConfig(
        StackPorts.allFree().withOverrides(env),
        workDir,
        true,
        "postgres",
        Namespaces.ALL,
        false,
        tools,
        ExistingServices.postgres(env),
        ExistingServices.temporal(env),
        ExistingServices.kafka(env),
        "true".equalsIgnoreCase(env.apply("DEVSTACK_TLS")),
        "true".equalsIgnoreCase(env.apply("DEVSTACK_AUTH")));
  }

  /** The same configuration with every port resolved to a concrete free one. */
  DevStackConfig withResolvedPorts() {
    // Ports of services that already run are not ours to check (7233 may well be the existing
    // server's).
    StackPorts p = ports;
    boolean temporal = existingTemporal.isEmpty();
    StackPorts wanted =
        new StackPorts(
            existingPostgres.isPresent() ? 0 : p.postgres(),
            temporal ? p.frontend() : 0,
            temporal ? p.frontendHttp() : 0,
            temporal ? p.frontendMembership() : 0,
            temporal ? p.history() : 0,
            temporal ? p.historyMembership() : 0,
            temporal ? p.matching() : 0,
            temporal ? p.matchingMembership() : 0,
            temporal ? p.worker() : 0,
            temporal ? p.workerMembership() : 0,
            temporal ? p.serverMetrics() : 0,
            temporal ? p.ui() : 0,
            existingKafka.isPresent() ? 0 : p.kafka(),
            existingKafka.isPresent() ? 0 : p.kafkaController());
    return new DevStackConfig(
        wanted.resolve(),
        workDir,
        deleteOnClose,
        postgresPassword,
        namespaces,
        echoLogs,
        tools,
        existingPostgres,
        existingTemporal,
        existingKafka,
        tls,
        auth);
  }
}
