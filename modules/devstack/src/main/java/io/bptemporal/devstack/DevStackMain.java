package io.bptemporal.devstack;

import java.util.stream.Collectors;

/**
 * {@code make run}: starts the dev stack in the foreground, prints where everything answers, and stops
 * it on Ctrl-C. Exits with status 1 when a component crashes (after printing the component's last log
 * lines) and with status 2 when the stack cannot start.
 */
public final class DevStackMain {
  private DevStackMain() {
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/bptemporal/devstack/logback-devstack.xml");
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
    StackEndpoints e = stack.endpoints();
    String namespaces = config.namespaces().stream()
        .map(ns -> ns.name() + " (retention " + ns.retention().toDays() + "d)")
        .collect(Collectors.joining(", "));
    System.out.printf("""

        bp-temporal dev stack is up
          Temporal frontend  %s   (TEMPORAL_ADDRESS for workers and clients)
          Web UI             %s
          Server metrics     %s
          PostgreSQL         %s  user %s, password %s  (development only)
          Namespaces         %s
          Logs               %s
        Press Ctrl-C to stop.
        %n""",
        e.temporalAddress(), e.uiUrl().orElseThrow(), e.serverMetricsUrl().orElseThrow(),
        e.postgres().jdbcUrl("postgres"), e.postgres().adminUser(), e.postgres().adminPassword(),
        namespaces, config.workDir().resolve("logs"));
    ChildCrash crash = stack.crashed().join();
    System.err.println("devstack: " + crash.component() + " crashed (report above); stopping.");
    System.exit(1);
  }
}
