package io.bptemporal.pipeline.source;

import io.bptemporal.contracts.pipeline.PipelineRequest;

/**
 * Opens the {@link Source} a request names; one provider per source type in {@link SourceCatalog}.
 */
@FunctionalInterface
public interface SourceProvider {
  Source open(PipelineRequest request);
}
