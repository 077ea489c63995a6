package io.bptemporal.devstack;

import io.bptemporal.contracts.naming.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code make run}: starts the dev stack in the foreground, prints where everything answers, and
 * stops it on Ctrl-C (SIGINT) or SIGTERM: the children, each in a session of its own, never see the
 * terminal's signal; the launcher stops them in reverse order, says so and exits 0. Exits with
 * status 1 when a component crashes (after printing the component's last log lines) and with status
 * 2 when the stack cannot start.
 */
public final class DevStackMain {
  private DevStackMain() {}

  @SuppressWarnings("restriction")
  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", "io/bptemporal/devstack/logback-devstack.xml");
    }
    DevStackConfig config;
    DevStack stack;
    try {
      config = DevStackConfig.fromEnvironment(System::getenv);
      stack = DevStack.start(config);
    } catch (DevStackException e) {
      System.err.println("devstack: " + e.getMessage());
      System.exit(2);
      return;
    }
    // A user's Ctrl-C (or a SIGTERM) is a clean stop, not a crash: handled here instead of by the
    // JVM's default
    // (shutdown hooks, exit status 130/143). It may come at any time, also while the run plan's
    // apps start, so the
    // stop runs on its own thread, not when the main thread gets to it.
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"INT", "TERM"}) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          signal -> {
            if (stopping.compareAndSet(false, true)) {
              String what = "INT".equals(name) ? "Ctrl-C (SIGINT)" : "SIGTERM";
              Thread.ofPlatform()
                  .name("devstack-stop")
                  .start(
                      () -> {
                        System.out.println(
                            "\ndevstack: "
                                + what
                                + " received: stopping the apps, the Kafka broker, the Web UI,"
                                + " the Temporal server and PostgreSQL.");
                        stack.close();
                        System.out.println("devstack: stopped cleanly.");
                        System.exit(0);
                      });
            }
          });
    }
    StackEndpoints e = stack.endpoints();
    String namespaces =
        config.namespaces().stream()
            .map(ns -> ns.name() + " (retention " + ns.retention().toDays() + "d)")
            .collect(Collectors.joining(", "));
    System.out.printf(
        """

        bp-temporal dev stack is up
          Temporal frontend  %s   (TEMPORAL_ADDRESS for workers and clients)
          Web UI             %s
          Server metrics     %s
          PostgreSQL         %s  user %s, password %s  (development only)
          Kafka              %s   (KAFKA_BOOTSTRAP_SERVERS; topics %s)
          Namespaces         %s
          Logs               %s
        Press Ctrl-C to stop.
        %n""",
        e.temporalAddress(),
        e.uiUrl().orElseThrow(),
        e.serverMetricsUrl().orElseThrow(),
        e.postgres().jdbcUrl("postgres"),
        e.postgres().adminUser(),
        e.postgres().adminPassword(),
        e.kafkaBootstrapServers(),
        Topics.ALL.stream()
            .map(t -> t.name() + " (" + t.partitions() + ")")
            .collect(Collectors.joining(", ")),
        namespaces,
        config.workDir().resolve("logs"));
    e.tls()
        .ifPresent(
            ca ->
                System.out.printf(
                    "  TLS                mutual TLS required (DEVSTACK_TLS); CA %s, a client"
                        + " certificate per process beside it%n",
                    ca.caFile()));
    e.auth()
        .ifPresent(
            issuer ->
                System.out.printf(
                    "  Authorization      JWT (DEVSTACK_AUTH); JWKS %s, a token per process in %s%n",
                    issuer.jwksUri(), config.workDir().resolve("auth")));
    Path plan =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "DEVSTACK_RUN_PLAN",
                    config.tools().toolsDir().getParent().resolve("dev/run.yaml").toString()));
    if (Files.isRegularFile(plan)) {
      AppLauncher apps =
          new AppLauncher(
              e,
              config.workDir().resolve("logs"),
              appCrash ->
                  System.err.println(
                      "devstack: " + appCrash.report() + "\n(the stack keeps running)"));
      stack.attach(apps);
      try {
        RunPlan runPlan = RunPlan.load(plan, config.tools().toolsDir().getParent());
        apps.run(runPlan);
        if (!stopping.get()) {
          System.out.println(
              "\nEverything in "
                  + plan
                  + " is up: "
                  + runPlan.describe()
                  + ". Press Ctrl-C to stop.");
        }
      } catch (DevStackException failure) {
        if (!stopping.get()) { // an app cut off by the stop is no failure
          System.err.println(
              "devstack: " + failure.getMessage() + "\n(the stack keeps running; Ctrl-C stops it)");
        }
      }
    }
    ChildCrash crash = stack.crashed().join();
    if (stopping.get()) {
      Thread.currentThread().join(); // the stop thread exits the JVM
    }
    System.err.println("devstack: " + crash.component() + " crashed (report above); stopping.");
    System.exit(1);
  }
}
