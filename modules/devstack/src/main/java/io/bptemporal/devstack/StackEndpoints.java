package io.bptemporal.devstack;

import java.net.URI;
import java.util.Optional;

/**
 * Where a running stack answers, whichever provider started (or found) it.
 *
 * @param temporalAddress frontend gRPC address, host:port
 * @param uiUrl Web UI, when known
 * @param serverMetricsUrl the Temporal server's Prometheus endpoint, when known
 * @param postgres a PostgreSQL server for application databases
 * @param provider which provider of the chain supplied the stack (printed in reports)
 */
public record StackEndpoints(
    String temporalAddress,
    Optional<URI> uiUrl,
    Optional<URI> serverMetricsUrl,
    PostgresEndpoint postgres,
    String provider) {}
