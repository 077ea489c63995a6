package io.bptemporal.pipeline.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The databases the pipeline worker talks to besides its own: those of POSTGRES sources with a
 * {@code location}. Pools come from the one factory, {@link Databases#pool}; this only decides
 * which settings.
 */
final class WorkerDatabases implements Function<String, DataSource>, AutoCloseable {
  private static final int SMALL_POOL = 2;

  private final DatabaseSettings worker;
  private final Map<String, HikariDataSource> sources = new ConcurrentHashMap<>();

  WorkerDatabases(DatabaseSettings worker) {
    this.worker = worker;
  }

  /**
   * The worker's own settings with pgjdbc's multi-row rewrite of JDBC batches (a large part of load
   * speed).
   */
  static DatabaseSettings forBatches(DatabaseSettings settings) {
    String url = settings.url();
    if (!url.contains("reWriteBatchedInserts")) {
      url = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
    return new DatabaseSettings(url, settings.user(), settings.password(), settings.poolSize());
  }

  /**
   * A POSTGRES source's database by JDBC URL, with the worker's credentials (the URL carries none).
   */
  @Override
  public DataSource apply(String url) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new PipelineSetupException(
          "source.location '"
              + url
              + "' is not accepted for a POSTGRES source: a JDBC URL"
              + " jdbc:postgresql://host:port/database without credentials (the worker's DB_USER is used)");
    }
    if (url.contains("password=") || url.contains("user=")) {
      throw new PipelineSetupException(
          "source.location must not carry credentials (they would be stored in the"
              + " workflow history in clear); accepted: jdbc:postgresql://host:port/database");
    }
    return sources.computeIfAbsent(
        url,
        u ->
            Databases.pool(
                new DatabaseSettings(u, worker.user(), worker.password(), SMALL_POOL),
                "pipeline-worker-source"));
  }

  @Override
  public void close() {
    sources.values().forEach(HikariDataSource::close);
  }
}
