package io.bptemporal.devstack;

import java.net.URI;
import java.util.Optional;

/** A Temporal server the stack uses instead of starting one (TEMPORAL_ADDRESS and friends). */
public record ExistingTemporal(String address, Optional<URI> uiUrl, Optional<URI> metricsUrl) {}
