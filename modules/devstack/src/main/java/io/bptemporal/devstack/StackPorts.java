package io.bptemporal.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every port the local stack listens on, all on 127.0.0.1. A value of 0 in the requested ports
 * means "any free port"; {@link #resolve()} turns the request into concrete, distinct, currently
 * free ports.
 */
public record StackPorts(
    int postgres,
    int frontend,
    int frontendHttp,
    int frontendMembership,
    int history,
    int historyMembership,
    int matching,
    int matchingMembership,
    int worker,
    int workerMembership,
    int serverMetrics,
    int ui,
    int kafka,
    int kafkaController) {

  /**
   * Defaults of {@code make run}: the Temporal CLI's well-known addresses, Kafka's well-known 9092,
   * PostgreSQL and the Kafka controller on free ports.
   */
  public static StackPorts developerDefaults() {
    return new StackPorts(
        0, 7233, 7243, 6933, 7234, 6934, 7235, 6935, 7239, 6939, 9233, 8233, 9092, 0);
  }

  /** Tests take free ports everywhere so a developer's running stack never collides with them. */
  public static StackPorts allFree() {
    return new StackPorts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * Overrides each port from {@code DEVSTACK_<NAME>_PORT} when set (e.g.
   * DEVSTACK_FRONTEND_PORT=17233).
   */
  public StackPorts withOverrides(Function<String, String> env) {
    Map<String, Integer> ports = asMap();
    ports.replaceAll(
        (name, port) -> {
          String key = envName(name);
          String value = env.apply(key);
          if (value == null || value.isBlank()) {
            return port;
          }
          try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < 0 || parsed > 65535) {
              throw new NumberFormatException();
            }
            return parsed;
          } catch (NumberFormatException e) {
            throw new DevStackException(
                key + "='" + value + "' is not a port: use 0..65535 (0 = any free port)");
          }
        });
    return fromMap(ports);
  }

  /**
   * Replaces every 0 with a free port and checks that fixed ports are free, naming the variable to
   * change.
   */
  public StackPorts resolve() {
    Map<String, Integer> ports = asMap();
    Set<Integer> taken = new HashSet<>();
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      int port = e.getValue();
      if (port == 0) {
        continue;
      }
      if (!taken.add(port)) {
        throw new DevStackException(
            "port " + port + " is configured twice (" + envName(e.getKey()) + ")");
      }
      if (!isFree(port)) {
        throw new DevStackException(
            "port "
                + port
                + " ("
                + e.getKey()
                + ") is in use on 127.0.0.1 - is another "
                + "dev stack running? Stop it, or choose another port with "
                + envName(e.getKey())
                + "=<port> (0 = any free port)");
      }
    }
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      if (e.getValue() == 0) {
        int port;
        do {
          port = anyFreePort();
        } while (!taken.add(port));
        e.setValue(port);
      }
    }
    return fromMap(ports);
  }

  static String envName(String portName) {
    return "DEVSTACK_" + portName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase() + "_PORT";
  }

  private Map<String, Integer> asMap() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("postgres", postgres);
    m.put("frontend", frontend);
    m.put("frontendHttp", frontendHttp);
    m.put("frontendMembership", frontendMembership);
    m.put("history", history);
    m.put("historyMembership", historyMembership);
    m.put("matching", matching);
    m.put("matchingMembership", matchingMembership);
    m.put("worker", worker);
    m.put("workerMembership", workerMembership);
    m.put("serverMetrics", serverMetrics);
    m.put("ui", ui);
    m.put("kafka", kafka);
    m.put("kafkaController", kafkaController);
    return m;
  }

  private static StackPorts fromMap(Map<String, Integer> m) {
    return new StackPorts(
        m.get("postgres"),
        m.get("frontend"),
        m.get("frontendHttp"),
        m.get("frontendMembership"),
        m.get("history"),
        m.get("historyMembership"),
        m.get("matching"),
        m.get("matchingMembership"),
        m.get("worker"),
        m.get("workerMembership"),
        m.get("serverMetrics"),
        m.get("ui"),
        m.get("kafka"),
        m.get("kafkaController"));
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // Servers bind with SO_REUSEADDR; without it, connections in TIME_WAIT would look like a busy
      // port.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A free port in [20000, 32768). Two reasons to stay below the kernel's ephemeral range: Temporal
   * stores membership ports in a smallint column (a port above 32767 makes the server exit at
   * start-up), and outgoing connections take ephemeral ports, which could steal a port between this
   * check and the bind.
   */
  /**
   * One free port on 127.0.0.1 for a process started next to the stack (e.g. a worker's
   * MANAGEMENT_PORT).
   */
  public static int freePort() {
    return anyFreePort();
  }

  private static int anyFreePort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = FIRST_FREE_PORT + RANDOM.nextInt(LAST_FREE_PORT - FIRST_FREE_PORT);
      if (isFree(candidate)) {
        return candidate;
      }
    }
    throw new DevStackException(
        "no free port in "
            + FIRST_FREE_PORT
            + ".."
            + LAST_FREE_PORT
            + " on 127.0.0.1 after 200 attempts");
  }

  private static final int FIRST_FREE_PORT = 20000;
  private static final int LAST_FREE_PORT = 32767;
  private static final java.util.random.RandomGenerator RANDOM = new java.security.SecureRandom();
}
