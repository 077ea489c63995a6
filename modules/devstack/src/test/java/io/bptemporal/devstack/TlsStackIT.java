package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.junit.SecureDevStackExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DEVSTACK_TLS} on the real server: the frontend requires a client certificate signed by the
 * stack's CA. Without one, with one from another CA, or in plaintext the client is refused at the
 * handshake; with the stack's certificate (and a token: the secure stack authorizes too) it gets
 * in, and so does the Web UI, a client of the frontend with a certificate of its own.
 */
@ExtendWith(SecureDevStackExtension.class)
class TlsStackIT {
  private static final Duration CALL = Duration.ofSeconds(10);

  @Test
  void aClientWithTheStacksCertificateGetsIn(StackEndpoints stack) {
    assertThat(stack.tls()).isPresent();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            stack
                .serviceStubsOptions("tls-it-client", List.of(Namespaces.ORDERS.name() + ":read"))
                .build());
    try {
      assertThat(stubs.healthCheck().getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(
              stubs
                  .blockingStub()
                  .withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS)
                  .describeNamespace(
                      DescribeNamespaceRequest.newBuilder()
                          .setNamespace(Namespaces.ORDERS.name())
                          .build())
                  .getNamespaceInfo()
                  .getName())
          .isEqualTo(Namespaces.ORDERS.name());
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void aClientWithoutACertificateIsRefused(StackEndpoints stack) throws Exception {
    // Trusts the server (the CA is right), presents nothing.
    assertRefused(
        stack,
        options ->
            options.setSslContext(
                sslContext(GrpcSslContexts.forClient().trustManager(caFile(stack)))));
  }

  @Test
  void aClientWithACertificateOfAnotherCaIsRefused(StackEndpoints stack, @TempDir Path otherCa)
      throws Exception {
    StackTls.CertFiles stranger = StackTls.generate(otherCa).client("stranger");
    assertRefused(
        stack,
        options ->
            options.setSslContext(
                sslContext(
                    GrpcSslContexts.forClient()
                        .trustManager(caFile(stack))
                        .keyManager(stranger.certFile().toFile(), stranger.keyFile().toFile()))));
  }

  @Test
  void aPlaintextClientIsRefused(StackEndpoints stack) {
    assertRefused(stack, options -> options);
  }

  @Test
  void theWebUiReachesTheFrontendOverMutualTls(StackEndpoints stack) throws Exception {
    // The UI server forwards the caller's bearer token; listing namespaces is a cluster-wide read.
    String token =
        stack.auth().orElseThrow().token("tls-it-ui-user", List.of("temporal-system:read"));
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(stack.uiUrl().orElseThrow().resolve("/api/v1/namespaces"))
                    .header("Authorization", "Bearer " + token)
                    .timeout(CALL)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"orders\"", "\"pipelines\"");
  }

  @Test
  void theCertificatesAreWrittenUnderTheStacksDirectoryWithOwnerOnlyKeys(StackEndpoints stack)
      throws Exception {
    StackTls.CertFiles client = stack.tls().orElseThrow().client("tls-it-files");
    assertThat(Files.readString(caFile(stack).toPath())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(client.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(client.keyFile())))
        .isEqualTo("rw-------");
  }

  private static void assertRefused(
      StackEndpoints stack,
      Function<WorkflowServiceStubsOptions.Builder, WorkflowServiceStubsOptions.Builder> tls) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            tls.apply(WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()))
                .build());
    try {
      // The health check needs no token: only the transport can refuse it.
      assertThatThrownBy(
              () ->
                  io.grpc.health.v1.HealthGrpc.newBlockingStub(stubs.getRawChannel())
                      .withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS)
                      .check(
                          io.grpc.health.v1.HealthCheckRequest.newBuilder()
                              .setService(WorkflowServiceStubs.HEALTH_CHECK_SERVICE_NAME)
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      stubs.shutdownNow();
    }
  }

  private static java.io.File caFile(StackEndpoints stack) {
    return stack.tls().orElseThrow().caFile().toFile();
  }

  private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(
      io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder builder) {
    try {
      return builder.build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }
}
