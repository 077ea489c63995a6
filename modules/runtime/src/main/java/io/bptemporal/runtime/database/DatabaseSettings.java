package io.bptemporal.runtime.database;

import io.bptemporal.observability.config.Environment;

/**
 * The process's database (DB_URL, DB_USER, DB_PASSWORD, DB_POOL_SIZE of
 * docs/operations/configuration.md).
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

  public static DatabaseSettings fromEnvironment(Environment env) {
    String url =
        env.required(
            "DB_URL",
            "the JDBC URL of this process's PostgreSQL database, e.g. jdbc:postgresql://host:5432/orders");
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
      env.problem(
          "DB_URL='"
              + url
              + "' is not accepted: use a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database");
    }
    String user = env.required("DB_USER", "the database account");
    String password = env.string("DB_PASSWORD", "");
    int poolSize = env.integer("DB_POOL_SIZE", 10, 1, 200);
    return new DatabaseSettings(url, user, password, poolSize);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
  }
}
