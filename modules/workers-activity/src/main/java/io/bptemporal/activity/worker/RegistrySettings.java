package io.bptemporal.activity.worker;

import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.database.DatabaseSettings;

/**
 * Where the activity worker reads the activity registry: {@code REGISTRY_DB_URL}, {@code
 * REGISTRY_DB_USER}, {@code REGISTRY_DB_PASSWORD}, all required. The registry is the scheduler's
 * database, never the worker's own, and the user is a role the scheduler grants read-only access
 * (REGISTRY_READER_ROLES): the worker cannot change a definition even by mistake.
 */
final class RegistrySettings {
  /** RunActivity reads one row per run; two connections are plenty. */
  static final int POOL_SIZE = 2;

  private RegistrySettings() {}

  /**
   * Reads the three variables; problems go to {@code env} and are reported together by its
   * validation.
   */
  static DatabaseSettings fromEnvironment(Environment env) {
    String url =
        env.required(
            "REGISTRY_DB_URL",
            "the JDBC URL of the scheduler's activity registry database,"
                + " jdbc:postgresql://host:port/database");
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
      env.problem(
          "REGISTRY_DB_URL='"
              + url
              + "' is not accepted: use a PostgreSQL JDBC URL of the scheduler's"
              + " registry database, jdbc:postgresql://host:port/database");
    }
    String user =
        env.required(
            "REGISTRY_DB_USER",
            "a read-only role of the activity registry, one of the scheduler's"
                + " REGISTRY_READER_ROLES");
    String password = env.required("REGISTRY_DB_PASSWORD", "the password of REGISTRY_DB_USER");
    return new DatabaseSettings(url, user, password, POOL_SIZE);
  }
}
