package io.bptemporal.devstack;

import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.contracts.naming.Namespaces;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Where a running stack answers, whichever provider started (or found) it, and what its clients
 * need to be let in.
 *
 * @param temporalAddress frontend gRPC address, host:port
 * @param uiUrl Web UI, when known
 * @param serverMetricsUrl the Temporal server's Prometheus endpoint, when known
 * @param postgres a PostgreSQL server for application databases
 * @param kafkaBootstrapServers Kafka bootstrap servers, host:port[,host:port…], where the
 *     platform's topics ({@code io.bptemporal.contracts.naming.Topics}) exist; processes read it as
 *     {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param provider which provider of the chain supplied the stack (printed in reports)
 * @param tls the stack's CA when the server requires mutual TLS ({@code DEVSTACK_TLS})
 * @param auth the stack's token issuer when the server authorizes calls ({@code DEVSTACK_AUTH})
 */
public record StackEndpoints(
    String temporalAddress,
    Optional<URI> uiUrl,
    Optional<URI> serverMetricsUrl,
    PostgresEndpoint postgres,
    String kafkaBootstrapServers,
    String provider,
    Optional<StackTls> tls,
    Optional<StackAuth> auth) {

  /** A stack without TLS or authorization. */
  public StackEndpoints(
      String temporalAddress,
      Optional<URI> uiUrl,
      Optional<URI> serverMetricsUrl,
      PostgresEndpoint postgres,
      String kafkaBootstrapServers,
      String provider) {
    this(
        temporalAddress,
        uiUrl,
        serverMetricsUrl,
        postgres,
        kafkaBootstrapServers,
        provider,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * What a process of the platform may do by default: write (start, signal, query, poll) in every
   * platform namespace, nothing cluster-wide.
   */
  public static List<String> platformWriter() {
    return Namespaces.ALL.stream().map(NamespaceSpec::name).map(ns -> ns + ":write").toList();
  }

  /**
   * The environment a client process named {@code client} needs to reach the server (the contract
   * of docs/operations/configuration.md): with TLS, {@code TEMPORAL_TLS_*} with a client
   * certificate of its own; with authorization, {@code TEMPORAL_AUTH_TOKEN_FILE} with a token of
   * its own ({@code sub} = {@code client}) holding {@code permissions}. The payload keys of this
   * JVM's environment ({@code PAYLOAD_KEYS_DIR}, {@code PAYLOAD_KEY_ID}: a run of the ITs with
   * encryption, e.g. {@code make secure-its}) are passed on as well. Empty for a plain stack run
   * without keys.
   */
  public Map<String, String> temporalClientEnv(String client, List<String> permissions) {
    Map<String, String> env = new LinkedHashMap<>();
    tls.ifPresent(
        ca -> {
          StackTls.CertFiles cert = ca.client(client);
          env.put("TEMPORAL_TLS_ENABLED", "true");
          env.put("TEMPORAL_TLS_CA_FILE", ca.caFile().toString());
          env.put("TEMPORAL_TLS_CERT_FILE", cert.certFile().toString());
          env.put("TEMPORAL_TLS_KEY_FILE", cert.keyFile().toString());
        });
    auth.ifPresent(
        issuer ->
            env.put("TEMPORAL_AUTH_TOKEN_FILE", issuer.tokenFile(client, permissions).toString()));
    for (String name : List.of("PAYLOAD_KEYS_DIR", "PAYLOAD_KEY_ID")) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        env.put(name, value);
      }
    }
    return env;
  }

  /** {@link #temporalClientEnv(String, List)} with {@link #platformWriter()}. */
  public Map<String, String> temporalClientEnv(String client) {
    return temporalClientEnv(client, platformWriter());
  }

  /**
   * Service stubs options for a raw client in a test or the stack itself: the address, the client
   * certificate of {@code client} with TLS, and a token for {@code permissions} with authorization.
   */
  public WorkflowServiceStubsOptions.Builder serviceStubsOptions(
      String client, List<String> permissions) {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporalAddress);
    tls.ifPresent(ca -> options.setSslContext(sslContext(ca, ca.client(client))));
    auth.ifPresent(
        issuer -> {
          String token = issuer.token(client, permissions);
          options.addApiKey(() -> token);
        });
    return options;
  }

  static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(
      StackTls ca, StackTls.CertFiles cert) {
    try {
      return GrpcSslContexts.forClient()
          .trustManager(ca.caFile().toFile())
          .keyManager(cert.certFile().toFile(), cert.keyFile().toFile())
          .build();
    } catch (SSLException e) {
      throw new DevStackException("cannot build a TLS context from " + cert + ": " + e, e);
    }
  }
}
