package io.bptemporal.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

/**
 * An Apache Kafka broker in KRaft combined mode (broker and controller in one JVM, one node), from
 * the jars scripts/bootstrap fetched: {@code java -cp <libs>/* kafka.Kafka server.properties} as a
 * child of this JVM, listening on 127.0.0.1 only. The data directory is formatted once ({@code
 * kafka-storage format --standalone}); a start on a formatted directory keeps its cluster id,
 * topics and records. Ready when an admin client describes the cluster with its controller.
 */
final class KafkaBroker implements AutoCloseable {
  static final String COMPONENT = "kafka";
  private static final int NODE_ID = 1;
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true");

  private final ManagedProcess process;
  private final String bootstrapServers;
  private final long launchedAt;

  private KafkaBroker(ManagedProcess process, String bootstrapServers, long launchedAt) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.launchedAt = launchedAt;
  }

  /**
   * Writes the broker's configuration, formats the data directory unless it holds a formatted log
   * already, and starts the broker without waiting for it ({@link #awaitReady}).
   */
  static KafkaBroker launch(DevStackConfig config, Consumer<ChildCrash> onCrash) {
    Path libs = config.tools().requireKafkaLibs();
    Path home = config.workDir().resolve("kafka");
    Path data = home.resolve("data");
    Path logs = config.workDir().resolve("logs");
    Path properties = home.resolve("server.properties");
    Path logConfig = home.resolve("logback.xml");
    int port = config.ports().kafka();
    int controllerPort = config.ports().kafkaController();
    try {
      Files.createDirectories(data);
      Files.writeString(properties, serverProperties(port, controllerPort, data));
      String level = System.getenv("DEVSTACK_KAFKA_LOG_LEVEL");
      Files.writeString(
          logConfig,
          resource("kafka-logback.xml")
              .replace("@LEVEL@", level == null || level.isBlank() ? "WARN" : level.strip()));
    } catch (IOException e) {
      throw new DevStackException("cannot prepare " + home + ": " + e.getMessage(), e);
    }
    String classpath = libs.resolve("*").toString();
    List<String> jvm = new ArrayList<>(JVM_OPTIONS);
    jvm.add("-Dlogback.configurationFile=" + logConfig);
    if (!Files.exists(data.resolve("meta.properties"))) {
      ManagedProcess.runToCompletion(
          "kafka-storage format",
          append(
              WorkerProcess.command(classpath, "kafka.tools.StorageTool", jvm),
              "format",
              "--config",
              properties.toString(),
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--standalone"),
          Map.of(),
          logs.resolve("kafka-storage.log"),
          Duration.ofMinutes(2));
    }
    long launchedAt = System.nanoTime();
    ManagedProcess child =
        ManagedProcess.start(
            COMPONENT,
            append(WorkerProcess.command(classpath, "kafka.Kafka", jvm), properties.toString()),
            Map.of(),
            logs.resolve("kafka.log"),
            config.echoLogs(),
            onCrash);
    return new KafkaBroker(child, "127.0.0.1:" + port, launchedAt);
  }

  /**
   * Waits until the broker's listener accepts connections and an admin client sees the cluster with
   * its controller; fails at once with the broker's last lines when it exits meanwhile.
   */
  void awaitReady(Duration timeout) {
    String[] hostPort = bootstrapServers.split(":");
    InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    Admin[] admin = new Admin[1];
    try {
      process.awaitReady(
          "an admin client describing the cluster on " + bootstrapServers,
          timeout,
          () -> {
            // Probe the port first: an admin client polling a closed port logs a warning per try.
            if (admin[0] == null) {
              try (Socket socket = new Socket()) {
                socket.connect(address, 1_000);
              }
              admin[0] = TopicRegistrar.admin(bootstrapServers);
            }
            DescribeClusterResult cluster = admin[0].describeCluster();
            return !cluster.nodes().get(2, TimeUnit.SECONDS).isEmpty()
                && cluster.controller().get(2, TimeUnit.SECONDS) != null;
          });
    } finally {
      if (admin[0] != null) {
        admin[0].close(Duration.ofSeconds(2));
      }
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Milliseconds from the start of the broker's JVM until now. */
  long millisSinceLaunch() {
    return (System.nanoTime() - launchedAt) / 1_000_000;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM: a controlled shutdown, which flushes the logs; killed after 30 s. */
  @Override
  public void close() {
    process.stop("TERM", Duration.ofSeconds(30));
  }

  static String serverProperties(int port, int controllerPort, Path data) {
    String listeners =
        "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
    return """
        # Written by the dev stack (io.bptemporal.devstack.KafkaBroker) at every start.
        # KRaft combined mode: one node is broker and controller.
        process.roles=broker,controller
        node.id=%d
        controller.quorum.bootstrap.servers=127.0.0.1:%d
        listeners=%s
        advertised.listeners=%s
        inter.broker.listener.name=PLAINTEXT
        controller.listener.names=CONTROLLER
        listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
        log.dirs=%s
        # Topics are created by the stack (io.bptemporal.contracts.naming.Topics), as an operator
        # creates them in a cluster: a record for an unknown topic is an error, not a new topic.
        auto.create.topics.enable=false
        num.partitions=1
        default.replication.factor=1
        min.insync.replicas=1
        # One node: every internal topic has one replica, and few partitions (faster first start).
        offsets.topic.replication.factor=1
        offsets.topic.num.partitions=3
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        transaction.state.log.num.partitions=3
        share.coordinator.state.topic.replication.factor=1
        share.coordinator.state.topic.min.isr=1
        # A consumer group's first member gets its partitions at once.
        group.initial.rebalance.delay.ms=0
        """
        .formatted(NODE_ID, controllerPort, listeners, listeners, data);
  }

  private static String resource(String name) throws IOException {
    try (var in = KafkaBroker.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new DevStackException("resource " + name + " is missing from the devstack jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static List<String> append(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }
}
