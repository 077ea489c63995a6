package io.bptemporal.pipeline.source;

import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.SourceSpec;
import io.bptemporal.contracts.pipeline.SourceType;
import io.bptemporal.pipeline.PipelineSetupException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The sources a worker can read, one {@link SourceProvider} per {@link SourceType}. Adding a source
 * type means a new enum value in the contract (and its schema) plus a provider here; see
 * docs/pipeline.md.
 */
public final class SourceCatalog {
  private final Map<SourceType, SourceProvider> providers;

  public SourceCatalog(Map<SourceType, SourceProvider> providers) {
    this.providers = new EnumMap<>(providers);
  }

  /**
   * NDJSON and CSV files on the worker's file system, and PostgreSQL queries: on the worker's own
   * database when {@code source.location} is absent, else on the database {@code otherDatabase}
   * opens for that JDBC URL.
   */
  public static SourceCatalog standard(
      DataSource workerDatabase, Function<String, DataSource> otherDatabase) {
    Map<SourceType, SourceProvider> providers = new EnumMap<>(SourceType.class);
    providers.put(SourceType.NDJSON, request -> NdjsonFileSource.at(location(request.source())));
    providers.put(SourceType.CSV, request -> CsvFileSource.at(location(request.source())));
    providers.put(
        SourceType.POSTGRES,
        request -> {
          SourceSpec spec = request.source();
          String query =
              spec.query()
                  .orElseThrow(
                      () ->
                          new PipelineSetupException(
                              "source.query is missing; accepted: a SELECT for a POSTGRES source"));
          Optional<String> url = spec.location();
          DataSource database = url.map(otherDatabase).orElse(workerDatabase);
          return new PostgresQuerySource(
              database, query, request.naturalKey(), url.orElse("the worker's database"));
        });
    return new SourceCatalog(providers);
  }

  public Source open(PipelineRequest request) {
    SourceProvider provider = providers.get(request.source().type());
    if (provider == null) {
      throw new PipelineSetupException(
          "source.type "
              + request.source().type()
              + " is not available on this worker;"
              + " accepted: "
              + providers.keySet());
    }
    return provider.open(request);
  }

  private static String location(SourceSpec spec) {
    return spec.location()
        .orElseThrow(
            () ->
                new PipelineSetupException(
                    "source.location is missing; accepted: " + FileLocation.ACCEPTED));
  }

  /** For tests and embedding: only the given providers. */
  public static SourceCatalog of(SourceType type, SourceProvider provider) {
    return new SourceCatalog(Map.of(type, provider));
  }

  /** Files only (no database), e.g. for workflow tests in the in-memory environment. */
  public static SourceCatalog filesOnly() {
    Map<SourceType, SourceProvider> providers = new EnumMap<>(SourceType.class);
    providers.put(SourceType.NDJSON, request -> NdjsonFileSource.at(location(request.source())));
    providers.put(SourceType.CSV, request -> CsvFileSource.at(location(request.source())));
    return new SourceCatalog(providers);
  }
}
