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
 * @param kafkaBootstrapServers Kafka bootstrap servers, host:port[,host:port…], where the
 *     platform's topics ({@code io.bptemporal.contracts.naming.Topics}) exist; processes read it as
 *     {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param provider which provider of the chain supplied the stack (printed in reports)
 */
public record StackEndpoints(
    String temporalAddress,
    Optional<URI> uiUrl,
    Optional<URI> serverMetricsUrl,
    PostgresEndpoint postgres,
    String kafkaBootstrapServers,
    String provider) {}
