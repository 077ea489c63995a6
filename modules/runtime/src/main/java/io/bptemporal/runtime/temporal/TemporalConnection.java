package io.bptemporal.runtime.temporal;

import com.uber.m3.tally.Scope;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.runtime.temporal.codec.AesGcmPayloadCodec;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way processes connect to Temporal: service stubs from {@link TemporalSettings} (TLS, API
 * key, the telemetry's metrics scope) and a client bound to the settings' namespace. Stubs connect
 * lazily, so a process starts (and reports not-ready) while the server is still unreachable.
 *
 * <p>Every client — and every worker made from one — uses {@link ContractDataConverter}: payloads
 * are checked against the published JSON Schemas before they are bound, and a payload that breaks
 * its contract is the {@code INVALID_INPUT} failure, never a silently changed value or a workflow
 * task retried forever. With payload keys configured ({@code PAYLOAD_KEYS_DIR}) that converter is
 * wrapped in a {@link CodecDataConverter} with the {@link AesGcmPayloadCodec}, here and nowhere
 * else, so every payload any process writes is encrypted and every one it reads is decrypted.
 */
public final class TemporalConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);

  private final TemporalSettings settings;
  private final WorkflowServiceStubs stubs;
  private final DataConverter dataConverter;

  private TemporalConnection(
      TemporalSettings settings, WorkflowServiceStubs stubs, DataConverter dataConverter) {
    this.settings = settings;
    this.stubs = stubs;
    this.dataConverter = dataConverter;
  }

  public static TemporalConnection open(TemporalSettings settings, Optional<Scope> metricsScope) {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(settings.address());
    metricsScope.ifPresent(options::setMetricsScope);
    settings
        .tls()
        .ifPresent(
            tls -> {
              options.setSslContext(sslContext(tls));
              // The certificate may name the service differently from the address we dial (e.g. via
              // a load balancer).
              tls.serverName()
                  .ifPresent(
                      name ->
                          options.setChannelInitializer(
                              channel -> channel.overrideAuthority(name)));
            });
    Optional<java.util.function.Supplier<String>> credential =
        settings
            .apiKey()
            .<java.util.function.Supplier<String>>map(key -> () -> key)
            .or(() -> settings.authTokenFile().map(TokenFile::new));
    credential.ifPresent(
        token -> {
          // Sent as "authorization: Bearer <token>" on every call.
          options.addApiKey(token::get);
          if (settings.tls().isEmpty()) {
            // A credential travels as a bearer token: never over plaintext.
            options.setEnableHttps(true);
          }
        });
    return new TemporalConnection(
        settings, WorkflowServiceStubs.newServiceStubs(options.build()), dataConverter(settings));
  }

  private static DataConverter dataConverter(TemporalSettings settings) {
    if (settings.payloadKeys().isEmpty()) {
      log.info(
          "payload encryption is off (PAYLOAD_KEYS_DIR not set): payloads are stored in Temporal's"
              + " history in clear text");
      return ContractDataConverter.instance();
    }
    var keys = settings.payloadKeys().get();
    log.info(
        "payload encryption is on: AES-256-GCM, writing with key id {}, reading key ids {}",
        keys.currentKeyId(),
        keys.keyIds());
    return new CodecDataConverter(
        ContractDataConverter.instance(), List.of(new AesGcmPayloadCodec(keys)));
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public TemporalSettings settings() {
    return settings;
  }

  /**
   * The converter of every client made here: the contract converter, encrypting when payload keys
   * are configured. For code that turns payloads into values outside a client (schedule memos).
   */
  public DataConverter dataConverter() {
    return dataConverter;
  }

  /** A schedule client of {@code namespace} with the same converter as the workflow clients. */
  public ScheduleClient scheduleClient(String namespace, String identity) {
    return ScheduleClient.newInstance(
        stubs,
        ScheduleClientOptions.newBuilder()
            .setNamespace(namespace)
            .setIdentity(identity)
            .setDataConverter(dataConverter)
            .build());
  }

  /** A client of the settings' namespace. */
  public WorkflowClient client(List<WorkflowClientInterceptor> interceptors) {
    return client(settings.namespace(), interceptors);
  }

  /**
   * A client of another namespace on the same connection (the scheduler starts runs in every
   * namespace its registry rows name). Every client is made here, so none misses the data converter
   * or the interceptors.
   */
  public WorkflowClient client(String namespace, List<WorkflowClientInterceptor> interceptors) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(namespace)
            .setDataConverter(dataConverter)
            .setInterceptors(interceptors.toArray(WorkflowClientInterceptor[]::new))
            .build());
  }

  @Override
  public void close() {
    stubs.shutdown();
  }

  private static SslContext sslContext(TemporalSettings.Tls tls) {
    try {
      if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
        try (InputStream cert = Files.newInputStream(tls.certFile().get());
            InputStream key = Files.newInputStream(tls.keyFile().get())) {
          return withTrust(SimpleSslContextBuilder.forPKCS8(cert, key), tls);
        }
      }
      return withTrust(SimpleSslContextBuilder.noKeyOrCertChain(), tls);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the TLS files of TEMPORAL_TLS_*: " + e.getMessage(), e);
    }
  }

  private static SslContext withTrust(SimpleSslContextBuilder builder, TemporalSettings.Tls tls)
      throws IOException {
    if (tls.caFile().isPresent()) {
      try (InputStream ca = Files.newInputStream(tls.caFile().get())) {
        builder.setTrustManager(trustManagerFor(ca));
      }
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException(
          "TLS settings of TEMPORAL_TLS_* are not usable: " + e.getMessage(), e);
    }
  }

  private static javax.net.ssl.TrustManager trustManagerFor(InputStream caPem) throws IOException {
    try {
      var certificates =
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(caPem);
      var store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      var factory =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers()[0];
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("not a PEM CA bundle: " + e.getMessage(), e);
    }
  }
}
