package io.bptemporal.pipeline.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The databases the pipeline worker talks to besides its own: the activity registry (read-only, RunActivity's
 * definitions) and the databases of POSTGRES sources with a {@code location}. Pools come from the one factory,
 * {@link Databases#pool}; this only decides which settings.
 */
final class WorkerDatabases implements Function<String, DataSource>, AutoCloseable {
  private static final int SMALL_POOL = 2;

  private final DatabaseSettings worker;
  private final Optional<DatabaseSettings> registry;
  private final Map<String, HikariDataSource> sources = new ConcurrentHashMap<>();
  private volatile HikariDataSource registryPool;

  private WorkerDatabases(DatabaseSettings worker, Optional<DatabaseSettings> registry) {
    this.worker = worker;
    this.registry = registry;
  }

  /**
   * Reads {@code REGISTRY_DB_URL}, {@code REGISTRY_DB_USER}, {@code REGISTRY_DB_PASSWORD}. Without
   * {@code REGISTRY_DB_URL} the registry table is read from the worker's own database.
   */
  static WorkerDatabases fromEnvironment(Environment env, DatabaseSettings worker) {
    Optional<String> url = env.optional("REGISTRY_DB_URL");
    Optional<DatabaseSettings> registry = Optional.empty();
    if (url.isPresent()) {
      if (!url.get().startsWith("jdbc:postgresql://")) {
        env.problem("REGISTRY_DB_URL='" + url.get() + "' is not accepted: use a PostgreSQL JDBC URL of the scheduler's"
            + " registry database, jdbc:postgresql://host:port/database");
      }
      String user = env.required("REGISTRY_DB_USER", "the read-only account of the activity registry (SELECT on"
          + " activity_definition), required with REGISTRY_DB_URL");
      registry = Optional.of(new DatabaseSettings(url.get(), user, env.string("REGISTRY_DB_PASSWORD", ""), SMALL_POOL));
    }
    return new WorkerDatabases(worker, registry);
  }

  /** The worker's own settings with pgjdbc's multi-row rewrite of JDBC batches (a large part of load speed). */
  static DatabaseSettings forBatches(DatabaseSettings settings) {
    String url = settings.url();
    if (!url.contains("reWriteBatchedInserts")) {
      url = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
    return new DatabaseSettings(url, settings.user(), settings.password(), settings.poolSize());
  }

  /** The registry's pool, or {@code own} when the registry lives in the worker's database. */
  DataSource registry(DataSource own) {
    if (registry.isEmpty()) {
      return own;
    }
    if (registryPool == null) {
      synchronized (this) {
        if (registryPool == null) {
          registryPool = Databases.pool(registry.get(), "pipeline-worker-registry");
        }
      }
    }
    return registryPool;
  }

  String registryLocation() {
    return registry.map(DatabaseSettings::url).orElse(worker.url() + " (the worker's database; set REGISTRY_DB_URL for"
        + " the scheduler's)");
  }

  /** A POSTGRES source's database by JDBC URL, with the worker's credentials (the URL carries none). */
  @Override
  public DataSource apply(String url) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new PipelineSetupException("source.location '" + url + "' is not accepted for a POSTGRES source: a JDBC URL"
          + " jdbc:postgresql://host:port/database without credentials (the worker's DB_USER is used)");
    }
    if (url.contains("password=") || url.contains("user=")) {
      throw new PipelineSetupException("source.location must not carry credentials (they would be stored in the"
          + " workflow history in clear); accepted: jdbc:postgresql://host:port/database");
    }
    return sources.computeIfAbsent(url, u -> Databases.pool(new DatabaseSettings(u, worker.user(), worker.password(),
        SMALL_POOL), "pipeline-worker-source"));
  }

  @Override
  public void close() {
    sources.values().forEach(HikariDataSource::close);
    if (registryPool != null) {
      registryPool.close();
    }
  }
}
