package io.bptemporal.runtime.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** The one DataSource factory: a HikariCP pool per process and database. */
public final class Databases {
  private Databases() {}

  /**
   * A pool that starts even when the database is down (the process reports not-ready instead of
   * crash-looping); connections are validated by the driver's isValid.
   */
  public static HikariDataSource pool(DatabaseSettings settings, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setPoolName(poolName);
    config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(true);
    return new HikariDataSource(config);
  }
}
