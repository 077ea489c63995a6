package io.bptemporal.devstack;

import io.bptemporal.contracts.naming.TopicSpec;
import io.bptemporal.contracts.naming.Topics;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real local stack, started in order with a health check after each step: PostgreSQL → Temporal
 * databases and schema → Temporal server → platform namespaces → Web UI → Kafka broker and the
 * platform's topics (the broker's JVM is launched right after PostgreSQL, so that it starts while
 * Temporal does). {@link #close()} (also run by a shutdown hook) stops exactly what was started, in
 * reverse order. When any child dies on its own, the crash is reported at once with the child's
 * last log lines and the rest of the stack is stopped.
 */
public final class DevStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevStack.class);
  private static final String MARKER = ".bp-devstack";
  private static final String PIDS = "devstack.pids";

  private final DevStackConfig config;
  private final List<Long> pids = new ArrayList<>();
  private final List<AutoCloseable> attached = new ArrayList<>();
  private final CompletableFuture<ChildCrash> crashed = new CompletableFuture<>();
  private final Thread shutdownHook = new Thread(this::close, "devstack-shutdown");
  private volatile boolean closed;
  private volatile boolean up;
  private StackEndpoints endpoints;
  // Components this stack started (null when absent or provided by the environment); stopped in
  // reverse.
  private PostgresInstance postgresInstance;
  private TemporalServer temporalServer;
  private WebUi webUi;
  private volatile KafkaBroker kafkaBroker;
  // Formats the broker's storage and starts its JVM on a thread of its own while Temporal starts.
  private CompletableFuture<KafkaBroker> kafkaLaunch;
  private java.util.function.Supplier<TemporalServer> serverRestart;
  // DEVSTACK_TLS / DEVSTACK_AUTH: the throwaway CA and the token issuer (null when off).
  private StackTls stackTls;
  private StackAuth stackAuth;
  private DevStackConfig resolvedConfig;

  private DevStack(DevStackConfig config) {
    this.config = config;
  }

  /** Starts the whole stack or, when a step fails, stops what it had started and throws. */
  public static DevStack start(DevStackConfig config) {
    DevStack stack = new DevStack(config);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() {
    long t0 = System.nanoTime();
    prepareWorkDir();
    DevStackConfig resolved = config.withResolvedPorts();
    resolvedConfig = resolved;
    StackPorts ports = resolved.ports();

    PostgresEndpoint postgres;
    if (config.existingPostgres().isPresent()) {
      postgres = config.existingPostgres().get();
      log.info(
          "using the existing PostgreSQL at {}:{} (DEVSTACK_JDBC_URL)",
          postgres.host(),
          postgres.port());
    } else {
      postgresInstance = PostgresInstance.start(resolved, this::onCrash);
      trackPid(postgresInstance.pid());
      postgres = postgresInstance.endpoint();
      log.info("PostgreSQL ready on 127.0.0.1:{}", ports.postgres());
    }
    if (config.existingKafka().isEmpty()) {
      kafkaLaunch = new CompletableFuture<>();
      Thread.ofPlatform()
          .daemon()
          .name("devstack-kafka-launch")
          .start(
              () -> {
                try {
                  KafkaBroker broker = launchKafkaBroker();
                  if (!kafkaLaunch.complete(broker)) {
                    broker.close(); // the stack stopped waiting for it
                  }
                } catch (RuntimeException | Error e) {
                  kafkaLaunch.completeExceptionally(e);
                }
              });
    }

    if (config.tls()) {
      stackTls = StackTls.generate(config.workDir().resolve("tls"));
      log.info("TLS on (DEVSTACK_TLS): throwaway CA {}", stackTls.caFile());
    }
    if (config.auth()) {
      stackAuth = StackAuth.start(config.workDir().resolve("auth"));
      log.info("authorization on (DEVSTACK_AUTH): JWKS at {}", stackAuth.jwksUri());
    }
    String address;
    Optional<URI> uiUrl;
    Optional<URI> metricsUrl;
    String provider;
    if (config.existingTemporal().isPresent()) {
      ExistingTemporal existing = config.existingTemporal().get();
      address = existing.address();
      uiUrl = existing.uiUrl();
      metricsUrl = existing.metricsUrl();
      provider = "existing Temporal at " + address + " (TEMPORAL_ADDRESS)";
      ensureNamespaces(address);
    } else {
      // The Temporal role's password exists only in this process and its children's environment.
      String temporalDbPassword = java.util.UUID.randomUUID().toString();
      TemporalSchema.install(resolved, postgres, temporalDbPassword);
      log.info(
          "Temporal schema installed (databases {}, {})",
          TemporalSchema.DEFAULT_DATABASE,
          TemporalSchema.VISIBILITY_DATABASE);
      serverRestart =
          () ->
              TemporalServer.start(
                  resolved,
                  postgres,
                  temporalDbPassword,
                  Optional.ofNullable(stackTls),
                  Optional.ofNullable(stackAuth),
                  this::onCrash);
      temporalServer = serverRestart.get();
      trackPid(temporalServer.pid());
      address = "127.0.0.1:" + ports.frontend();
      log.info("Temporal server ready on {}", address);
      ensureNamespaces(address);
      webUi = WebUi.start(resolved, Optional.ofNullable(stackTls), this::onCrash);
      trackPid(webUi.pid());
      uiUrl = Optional.of(webUi.url());
      metricsUrl =
          Optional.of(URI.create("http://127.0.0.1:" + ports.serverMetrics() + "/metrics"));
      provider = "local binaries from " + config.tools().toolsDir();
    }
    String kafka;
    if (config.existingKafka().isPresent()) {
      kafka = config.existingKafka().get();
      log.info("using the existing Kafka at {} (KAFKA_BOOTSTRAP_SERVERS)", kafka);
      ensureTopics(kafka);
    } else {
      kafka = awaitKafkaBroker();
    }
    endpoints =
        new StackEndpoints(
            address,
            uiUrl,
            metricsUrl,
            postgres,
            kafka,
            provider,
            Optional.ofNullable(stackTls),
            Optional.ofNullable(stackAuth));
    up = true;
    log.info("dev stack up in {} ms ({})", (System.nanoTime() - t0) / 1_000_000, provider);
  }

  private void ensureNamespaces(String address) {
    // Registering a namespace is a cluster-wide admin call: the stack's own credential.
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            new StackEndpoints(
                    address,
                    Optional.empty(),
                    Optional.empty(),
                    null,
                    "",
                    "",
                    Optional.ofNullable(stackTls),
                    Optional.ofNullable(stackAuth))
                .serviceStubsOptions("devstack", List.of(StackAuth.SYSTEM_ADMIN))
                .build());
    try {
      new NamespaceRegistrar(stubs).ensure(config.namespaces(), Duration.ofSeconds(60));
    } finally {
      stubs.shutdownNow();
    }
  }

  private KafkaBroker launchKafkaBroker() {
    KafkaBroker broker = KafkaBroker.launch(resolvedConfig, this::onCrash);
    kafkaBroker = broker;
    trackPid(broker.pid());
    return broker;
  }

  /** Waits for the launched broker, then creates the platform's topics; the bootstrap servers. */
  private String awaitKafkaBroker() {
    KafkaBroker broker = awaitKafkaLaunch(Duration.ofMinutes(3));
    broker.awaitReady(Duration.ofSeconds(120));
    long readyAfter = broker.millisSinceLaunch();
    ensureTopics(broker.bootstrapServers());
    log.info(
        "Kafka broker ready on {} ({} ms after its JVM started; topics {})",
        broker.bootstrapServers(),
        readyAfter,
        Topics.ALL.stream().map(TopicSpec::name).toList());
    return broker.bootstrapServers();
  }

  private KafkaBroker awaitKafkaLaunch(Duration timeout) {
    try {
      return kafkaLaunch.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new DevStackException("launching the Kafka broker failed: " + e.getCause(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new DevStackException("the Kafka broker was not launched within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while launching the Kafka broker", e);
    }
  }

  private static void ensureTopics(String bootstrapServers) {
    try (Admin admin = TopicRegistrar.admin(bootstrapServers)) {
      new TopicRegistrar(admin).ensure(Topics.ALL, Duration.ofSeconds(60));
    }
  }

  private void trackPid(long pid) {
    synchronized (pids) {
      pids.add(pid);
      writePids(pids);
    }
  }

  public StackEndpoints endpoints() {
    if (endpoints == null) {
      throw new IllegalStateException("the stack has not started");
    }
    return endpoints;
  }

  /**
   * Fault injection: stops the Temporal server (SIGTERM) without reporting a crash. Only for a
   * stack that started its own server.
   */
  public synchronized void stopTemporalServer() {
    if (temporalServer == null || !temporalServer.isAlive()) {
      throw new IllegalStateException("no running Temporal server in this stack");
    }
    temporalServer.close();
  }

  /**
   * Fault injection: kills the Temporal server (SIGKILL: no graceful shutdown, as when its machine
   * or container dies) without reporting a crash. {@link #startTemporalServer()} brings it back.
   * Only for a stack that started its own server.
   */
  public synchronized void killTemporalServer() {
    if (temporalServer == null || !temporalServer.isAlive()) {
      throw new IllegalStateException("no running Temporal server in this stack");
    }
    temporalServer.kill();
  }

  /**
   * Fault injection: starts the Temporal server again on the same ports and waits until it is
   * healthy.
   */
  public synchronized void startTemporalServer() {
    if (serverRestart == null || closed) {
      throw new IllegalStateException("this stack did not start a Temporal server, or is closed");
    }
    if (temporalServer.isAlive()) {
      throw new IllegalStateException("the Temporal server is running");
    }
    temporalServer = serverRestart.get();
    trackPid(temporalServer.pid());
  }

  /**
   * Fault injection: stops the Kafka broker (SIGTERM, a controlled shutdown) without reporting a
   * crash. Only for a stack that started its own broker.
   */
  public synchronized void stopKafkaBroker() {
    if (kafkaBroker == null || !kafkaBroker.isAlive()) {
      throw new IllegalStateException("no running Kafka broker in this stack");
    }
    kafkaBroker.close();
  }

  /**
   * Fault injection: starts the Kafka broker again on the same ports and data directory (not
   * formatted again: cluster id, topics and records are kept), waits until it is ready and ensures
   * the platform's topics again.
   */
  public synchronized void startKafkaBroker() {
    if (kafkaBroker == null || closed) {
      throw new IllegalStateException("this stack did not start a Kafka broker, or is closed");
    }
    if (kafkaBroker.isAlive()) {
      throw new IllegalStateException("the Kafka broker is running");
    }
    kafkaLaunch = CompletableFuture.completedFuture(launchKafkaBroker());
    awaitKafkaBroker();
  }

  /**
   * Fault injection: stops PostgreSQL (fast shutdown, SIGINT: open sessions are disconnected)
   * without reporting a crash. Its clients (the Temporal server, workers' pools) see their
   * connections fail until {@link #startPostgres()}. Only for a stack that started its own
   * PostgreSQL.
   */
  public synchronized void stopPostgres() {
    if (postgresInstance == null || !postgresInstance.isAlive()) {
      throw new IllegalStateException("no running PostgreSQL in this stack");
    }
    postgresInstance.close();
  }

  /**
   * Fault injection: starts PostgreSQL again on the same data directory and port (every database,
   * role and row is kept) and waits until it accepts connections.
   */
  public synchronized void startPostgres() {
    if (postgresInstance == null || closed) {
      throw new IllegalStateException("this stack did not start PostgreSQL, or is closed");
    }
    if (postgresInstance.isAlive()) {
      throw new IllegalStateException("PostgreSQL is running");
    }
    postgresInstance = PostgresInstance.launch(resolvedConfig, this::onCrash);
    trackPid(postgresInstance.pid());
  }

  /** Pid of the Temporal server this stack started (for fault-injection tests). */
  public synchronized long temporalServerPid() {
    if (temporalServer == null) {
      throw new IllegalStateException("this stack did not start a Temporal server");
    }
    return temporalServer.pid();
  }

  /** Pid of the PostgreSQL server this stack started (for fault-injection tests). */
  public synchronized long postgresPid() {
    if (postgresInstance == null) {
      throw new IllegalStateException("this stack did not start PostgreSQL");
    }
    return postgresInstance.pid();
  }

  public DevStackConfig config() {
    return config;
  }

  /** Completes when a child of the stack exits on its own. */
  public CompletableFuture<ChildCrash> crashed() {
    return crashed;
  }

  private void onCrash(ChildCrash crash) {
    if (closed || crashed.isDone()) {
      return;
    }
    if (!up) {
      // Still starting: the step waiting on this child fails with the same report and cleans up.
      log.error(crash.report());
      crashed.complete(crash);
      return;
    }
    log.error("{}\nStopping the rest of the dev stack.", crash.report());
    crashed.complete(crash);
    Thread stopper = new Thread(this::close, "devstack-crash-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * Ties {@code dependent} (e.g. workers started on top of the stack) to this stack's life: it is
   * closed first, while the server and database it talks to still run.
   */
  public synchronized void attach(AutoCloseable dependent) {
    attached.add(dependent);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (kafkaLaunch != null) {
      // A broker still being launched is stopped with the rest, once its JVM runs (a format takes
      // seconds).
      kafkaLaunch
          .completeOnTimeout(null, 2, java.util.concurrent.TimeUnit.MINUTES)
          .exceptionally(e -> null)
          .join();
    }
    for (int i = attached.size() - 1; i >= 0; i--) {
      try {
        attached.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", attached.get(i), e.toString());
      }
    }
    for (AutoCloseable component :
        new AutoCloseable[] {kafkaBroker, webUi, temporalServer, stackAuth, postgresInstance}) {
      if (component == null) {
        continue;
      }
      try {
        component.close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
      }
    }
    try {
      Files.deleteIfExists(config.workDir().resolve(PIDS));
      if (config.deleteOnClose()) {
        deleteTree(config.workDir());
      }
    } catch (IOException e) {
      log.warn("cleaning {} failed: {}", config.workDir(), e.toString());
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting; the hook is this very call path or will find the stack
        // closed.
      }
    }
  }

  /**
   * The work directory is wiped at every start. To never wipe a directory that is not ours, it must
   * be empty, absent, or carry the marker file a previous start wrote. Processes a killed JVM left
   * behind (recorded in the pid file) are stopped first.
   */
  private void prepareWorkDir() {
    Path dir = config.workDir();
    try {
      if (Files.isDirectory(dir)) {
        boolean ours = Files.exists(dir.resolve(MARKER));
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
          empty = entries.findAny().isEmpty();
        }
        if (!ours && !empty) {
          throw new DevStackException(
              dir
                  + " is not empty and was not created by the dev stack; "
                  + "point DEVSTACK_DIR at an empty or new directory");
        }
        stopLeftovers(dir.resolve(PIDS));
        try (Stream<Path> entries = Files.list(dir)) {
          for (Path entry : entries.toList()) {
            deleteTree(entry);
          }
        }
      }
      Files.createDirectories(dir);
      // As root, PostgreSQL runs as 'postgres' and must traverse this directory.
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createFile(dir.resolve(MARKER));
    } catch (IOException e) {
      throw new DevStackException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  private void stopLeftovers(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    String workDir = config.workDir().toString();
    for (String line : Files.readAllLines(pidFile)) {
      Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(line.strip()));
      // Only a process whose command line names this work directory is ours; pids get reused.
      handle
          .filter(h -> h.info().commandLine().map(c -> c.contains(workDir)).orElse(false))
          .ifPresent(
              h -> {
                log.warn(
                    "stopping pid {} left behind by a previous dev stack in {}", h.pid(), workDir);
                h.destroyForcibly();
                h.onExit()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(t -> h)
                    .join();
              });
    }
  }

  private void writePids(List<Long> pids) {
    try {
      Files.write(config.workDir().resolve(PIDS), pids.stream().map(String::valueOf).toList());
    } catch (IOException e) {
      throw new DevStackException(
          "cannot write " + config.workDir().resolve(PIDS) + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
