package io.bptemporal.devstack;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the environment variables that point the dev stack (and integration tests) at services that
 * already run, the first link of the provider chain:
 *
 * <ul>
 *   <li>{@code TEMPORAL_ADDRESS} (host:port), optionally {@code TEMPORAL_UI_URL} and {@code
 *       TEMPORAL_METRICS_URL};
 *   <li>{@code DEVSTACK_JDBC_URL} (jdbc:postgresql://host:port/db) with {@code DEVSTACK_JDBC_USER}
 *       and {@code DEVSTACK_JDBC_PASSWORD}: an account that may create roles and databases;
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (host:port[,host:port…]): a Kafka cluster reachable without
 *       authentication, where the platform's topics are created unless they exist.
 * </ul>
 */
final class ExistingServices {
  private static final Pattern JDBC =
      Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?(?:/[^?]*)?(?:\\?.*)?");
  private static final Pattern ADDRESS = Pattern.compile("[^:/\\s]+:\\d{1,5}");

  private ExistingServices() {}

  static Optional<ExistingTemporal> temporal(Function<String, String> env) {
    String address = blankToNull(env.apply("TEMPORAL_ADDRESS"));
    if (address == null) {
      return Optional.empty();
    }
    if (!ADDRESS.matcher(address).matches()) {
      throw new DevStackException(
          "TEMPORAL_ADDRESS='" + address + "' is not host:port (e.g. 127.0.0.1:7233)");
    }
    return Optional.of(
        new ExistingTemporal(
            address, url(env, "TEMPORAL_UI_URL"), url(env, "TEMPORAL_METRICS_URL")));
  }

  static Optional<String> kafka(Function<String, String> env) {
    String servers = blankToNull(env.apply("KAFKA_BOOTSTRAP_SERVERS"));
    if (servers == null) {
      return Optional.empty();
    }
    List<String> addresses = new ArrayList<>();
    for (String address : servers.split(",")) {
      String trimmed = address.strip();
      if (!ADDRESS.matcher(trimmed).matches()) {
        throw new DevStackException(
            "KAFKA_BOOTSTRAP_SERVERS='"
                + servers
                + "' is not a comma-separated list of host:port (e.g. 127.0.0.1:9092): '"
                + trimmed
                + "'");
      }
      addresses.add(trimmed);
    }
    return Optional.of(String.join(",", addresses));
  }

  static Optional<PostgresEndpoint> postgres(Function<String, String> env) {
    String url = blankToNull(env.apply("DEVSTACK_JDBC_URL"));
    if (url == null) {
      return Optional.empty();
    }
    Matcher m = JDBC.matcher(url);
    if (!m.matches()) {
      throw new DevStackException(
          "DEVSTACK_JDBC_URL='"
              + url
              + "' is not a PostgreSQL JDBC URL "
              + "(jdbc:postgresql://host[:port][/database])");
    }
    String user = blankToNull(env.apply("DEVSTACK_JDBC_USER"));
    if (user == null) {
      throw new DevStackException(
          "DEVSTACK_JDBC_URL is set but DEVSTACK_JDBC_USER is not: "
              + "give an account that may create roles and databases");
    }
    String password =
        env.apply("DEVSTACK_JDBC_PASSWORD") == null ? "" : env.apply("DEVSTACK_JDBC_PASSWORD");
    int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    return Optional.of(new PostgresEndpoint(m.group(1), port, user, password));
  }

  private static Optional<URI> url(Function<String, String> env, String name) {
    String value = blankToNull(env.apply(name));
    if (value == null) {
      return Optional.empty();
    }
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      throw new DevStackException(
          name + "='" + value + "' is not an http(s) URL: " + e.getMessage());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
