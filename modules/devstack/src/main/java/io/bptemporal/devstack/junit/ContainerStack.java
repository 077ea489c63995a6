package io.bptemporal.devstack.junit;

import io.bptemporal.contracts.naming.Topics;
import io.bptemporal.devstack.DevStackException;
import io.bptemporal.devstack.NamespaceRegistrar;
import io.bptemporal.devstack.PostgresEndpoint;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.TopicRegistrar;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Last link of the provider chain, for users who have a Docker engine but did not run the
 * bootstrap: PostgreSQL in a container for application databases, the Temporal CLI's development
 * server (which persists to SQLite inside its container, unlike the local stack's PostgreSQL), and
 * Apache Kafka's image (KRaft, one node; unless KAFKA_BOOTSTRAP_SERVERS names a cluster), where the
 * platform's topics are created as on the local broker. Images are pinned and can be overridden
 * with DEVSTACK_POSTGRES_IMAGE / DEVSTACK_TEMPORAL_IMAGE / DEVSTACK_KAFKA_IMAGE. Our CI machines
 * have no Docker engine, so this path is exercised only where one exists.
 */
final class ContainerStack implements AutoCloseable {
  private static final String POSTGRES_IMAGE = "postgres:15.10-bookworm";
  private static final String TEMPORAL_IMAGE = "temporalio/temporal:1.5.1";
  // The same Kafka release as the local broker (scripts/tools.versions KAFKA_VERSION).
  private static final String KAFKA_IMAGE = "apache/kafka:4.4.0";

  private final PostgreSQLContainer postgres;
  private final GenericContainer<?> temporal;
  // Absent when KAFKA_BOOTSTRAP_SERVERS names a cluster.
  private final Optional<KafkaContainer> kafka;
  private final String kafkaBootstrapServers;

  private ContainerStack(
      PostgreSQLContainer postgres,
      GenericContainer<?> temporal,
      Optional<KafkaContainer> kafka,
      String kafkaBootstrapServers) {
    this.postgres = postgres;
    this.temporal = temporal;
    this.kafka = kafka;
    this.kafkaBootstrapServers = kafkaBootstrapServers;
  }

  static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static ContainerStack start() {
    PostgreSQLContainer postgres =
        new PostgreSQLContainer(
                DockerImageName.parse(image("DEVSTACK_POSTGRES_IMAGE", POSTGRES_IMAGE))
                    .asCompatibleSubstituteFor("postgres"))
            .withUsername("postgres")
            .withPassword("postgres");
    GenericContainer<?> temporal =
        new GenericContainer<>(
                DockerImageName.parse(image("DEVSTACK_TEMPORAL_IMAGE", TEMPORAL_IMAGE)))
            .withCommand(
                "server",
                "start-dev",
                "--ip",
                "0.0.0.0",
                "--ui-ip",
                "0.0.0.0",
                "--metrics-port",
                "9233")
            .withExposedPorts(7233, 8233, 9233)
            .waitingFor(Wait.forHttp("/").forPort(8233).withStartupTimeout(Duration.ofMinutes(2)));
    Optional<String> existingKafka =
        Optional.ofNullable(System.getenv("KAFKA_BOOTSTRAP_SERVERS")).filter(s -> !s.isBlank());
    Optional<KafkaContainer> kafka =
        existingKafka.isPresent()
            ? Optional.empty()
            : Optional.of(
                new KafkaContainer(
                    DockerImageName.parse(image("DEVSTACK_KAFKA_IMAGE", KAFKA_IMAGE))
                        .asCompatibleSubstituteFor("apache/kafka")));
    try {
      postgres.start();
      temporal.start();
      kafka.ifPresent(KafkaContainer::start);
    } catch (RuntimeException e) {
      kafka.ifPresent(KafkaContainer::stop);
      temporal.stop();
      postgres.stop();
      throw new DevStackException(
          "Testcontainers could not start the test stack: " + e.getMessage(), e);
    }
    ContainerStack stack =
        new ContainerStack(
            postgres,
            temporal,
            kafka,
            existingKafka.orElseGet(() -> kafka.orElseThrow().getBootstrapServers()));
    try (Admin admin = TopicRegistrar.admin(stack.kafkaBootstrapServers)) {
      new TopicRegistrar(admin).ensure(Topics.ALL, Duration.ofSeconds(60));
    }
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    try {
      new NamespaceRegistrar(stubs)
          .ensure(io.bptemporal.contracts.naming.Namespaces.ALL, Duration.ofSeconds(60));
    } finally {
      stubs.shutdownNow();
    }
    return stack;
  }

  StackEndpoints endpoints() {
    String host = temporal.getHost();
    return new StackEndpoints(
        temporalAddress(),
        Optional.of(URI.create("http://" + host + ":" + temporal.getMappedPort(8233))),
        Optional.of(URI.create("http://" + host + ":" + temporal.getMappedPort(9233) + "/metrics")),
        new PostgresEndpoint(
            postgres.getHost(), postgres.getMappedPort(5432), "postgres", "postgres"),
        kafkaBootstrapServers,
        "Testcontainers ("
            + temporal.getDockerImageName()
            + ", "
            + postgres.getDockerImageName()
            + kafka.map(k -> ", " + k.getDockerImageName()).orElse("")
            + ")");
  }

  private String temporalAddress() {
    return temporal.getHost() + ":" + temporal.getMappedPort(7233);
  }

  @Override
  public void close() {
    kafka.ifPresent(KafkaContainer::stop);
    temporal.stop();
    postgres.stop();
  }

  private static String image(String env, String fallback) {
    String value = System.getenv(env);
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
